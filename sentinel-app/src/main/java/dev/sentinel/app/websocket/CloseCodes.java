package dev.sentinel.app.websocket;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Close codes and reasons as each side may carry them. Some codes exist only inside an
 * endpoint (1005 "no code", 1006 "abnormal"), and the JDK's client refuses to send those a
 * server sends (1012-1014) or that it reports itself (1002, 1003, 1007, 1009, 1010).
 *
 * <p>Stateless and thread-safe.
 */
final class CloseCodes {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int NO_CODE = 1005;
    static final int ABNORMAL = 1006;
    static final int POLICY = 1008;
    static final int TRY_AGAIN_LATER = 1013;
    static final int BAD_GATEWAY = 1014;

    private static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /** Returns the close frame to send the client for one New API closed with. */
    static Frame.Close towardsClient(int code, String reason) {
        if (!onTheWire(code)) {
            return new Frame.Close(NORMAL, truncate(reason));
        }
        return new Frame.Close(code, truncate(reason));
    }

    /**
     * Returns the close frame to send New API for one the client closed with. A code the
     * JDK's client may not send becomes 1000, with the original code kept in the reason.
     */
    static Frame.Close towardsDownstream(int code, String reason) {
        if (jdkMaySend(code)) {
            return new Frame.Close(code, truncate(reason));
        }
        if (!onTheWire(code)) {
            return new Frame.Close(NORMAL, truncate(reason));
        }
        return new Frame.Close(NORMAL, truncate("client closed with " + code
                + (reason.isEmpty() ? "" : ": " + reason)));
    }

    /** Whether a code may appear in a close frame at all (RFC 6455 section 7.4). */
    static boolean onTheWire(int code) {
        if (code < 1000 || code > 4999) {
            return false;
        }
        if (code >= 1016 && code <= 2999) {
            return false;
        }
        return code != 1004 && code != NO_CODE && code != ABNORMAL && code != 1015;
    }

    private static boolean jdkMaySend(int code) {
        if (!onTheWire(code)) {
            return false;
        }
        return switch (code) {
            case 1002, 1003, 1007, 1009, 1010, 1012, 1013, 1014 -> false;
            default -> true;
        };
    }

    /** Cuts a reason to the 123 bytes a close frame has room for, on a character boundary. */
    static String truncate(String reason) {
        if (reason.length() <= MAX_REASON_BYTES / 3
                || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer room = ByteBuffer.allocate(MAX_REASON_BYTES);
        CharBuffer text = CharBuffer.wrap(reason);
        encoder.encode(text, room, true);
        return reason.substring(0, text.position());
    }
}
