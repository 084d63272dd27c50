package dev.sentinel.app.websocket;

import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame on its way across the bridge. Data frames keep their {@code last}
 * flag, so a fragmented message crosses as fragments, in order.
 *
 * <p>Immutable; a frame's bytes are never changed after it is made.
 */
sealed interface Frame {

    /** Returns the payload size in bytes, what the bounded queues count. */
    int size();

    /** Returns whether the frame carries message data (text or binary). */
    default boolean isData() {
        return false;
    }

    /**
     * Text, or a fragment of it.
     *
     * @param text the characters
     * @param last whether this ends the message
     * @param size the UTF-8 length of {@code text}
     */
    record Text(String text, boolean last, int size) implements Frame {

        static Text of(String text, boolean last) {
            return new Text(text, last, utf8Length(text));
        }

        @Override
        public boolean isData() {
            return true;
        }
    }

    /**
     * Binary data, or a fragment of it.
     *
     * @param data the bytes, owned by the frame
     * @param last whether this ends the message
     */
    record Binary(byte[] data, boolean last) implements Frame {

        @Override
        public int size() {
            return data.length;
        }

        @Override
        public boolean isData() {
            return true;
        }
    }

    /**
     * A ping.
     *
     * @param data its application data (at most 125 bytes)
     */
    record Ping(byte[] data) implements Frame {

        @Override
        public int size() {
            return data.length;
        }
    }

    /**
     * A pong.
     *
     * @param data its application data (at most 125 bytes)
     */
    record Pong(byte[] data) implements Frame {

        @Override
        public int size() {
            return data.length;
        }
    }

    /**
     * A close frame.
     *
     * @param code the status code
     * @param reason the reason, at most 123 UTF-8 bytes
     */
    record Close(int code, String reason) implements Frame {

        @Override
        public int size() {
            return 2 + reason.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
