package dev.sentinel.app.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client on a raw socket bound to a chosen loopback address (the JDK's client
 * cannot choose its source address): it writes the handshake byte for byte, keeps the raw
 * answer for assertions, and speaks RFC 6455 frames (masked, as a client must), so tests
 * can also fragment, ping, close with any code, or just drop the connection.
 *
 * <p>Not thread-safe: one thread reads, one thread writes at a time.
 */
public final class LoopbackWebSocket implements AutoCloseable {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private int partialType = -1;

    private LoopbackWebSocket(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        // Nothing was read past the handshake's blank line, so buffering may start here.
        this.in = new DataInputStream(new BufferedInputStream(in));
        this.out = socket.getOutputStream();
    }

    /**
     * Sends a handshake and reads the answer.
     *
     * @param client where the connection comes from
     * @param target the request target, such as {@code /v1/realtime?model=x}
     * @param headerLines extra header lines, such as {@code Sec-WebSocket-Protocol: …}
     * @return the answer; on {@code 101} it holds the open socket
     */
    public static Answer open(LoopbackClient client, String target, String... headerLines) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: sentinel.test\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce))
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("\r\n");
        return exchange(client, request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends raw handshake bytes and reads the answer.
     *
     * @param client where the connection comes from
     * @param raw the request
     * @return the answer; on {@code 101} it holds the open socket
     */
    public static Answer exchange(LoopbackClient client, byte[] raw) {
        Socket socket = null;
        try {
            socket = client.connect();
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            String statusLine = readLine(in);
            head.append(statusLine).append("\r\n");
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                head.append(line).append("\r\n");
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).strip()
                        .toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            if (status == 101) {
                return new Answer(statusLine, status, headers, "", head.toString(),
                        new LoopbackWebSocket(socket, in));
            }
            List<String> length = headers.getOrDefault("content-length", List.of());
            byte[] body = length.isEmpty() ? new byte[0]
                    : in.readNBytes(Integer.parseInt(length.get(0)));
            socket.close();
            return new Answer(statusLine, status, headers,
                    new String(body, StandardCharsets.UTF_8), head.toString(), null);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a whole text message in one frame. */
    public void sendText(String text) {
        sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a whole binary message in one frame. */
    public void sendBinary(byte[] data) {
        sendFrame(BINARY, true, data);
    }

    /** Sends a ping. */
    public void ping(byte[] data) {
        sendFrame(PING, true, data);
    }

    /** Sends a close frame with a code and a reason. */
    public void close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + text.length);
        payload.putShort((short) code).put(text);
        sendFrame(CLOSE, true, payload.array());
    }

    /** Sends one frame, masked. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        frame.writeBytes(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.writeBytes(masked);
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one frame as sent (servers do not mask). */
    public Frame readFrame() {
        try {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = null;
            if ((second & 0x80) != 0) {
                mask = in.readNBytes(4);
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length != length) {
                throw new EOFException("frame cut short");
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            return new Frame(first & 0x0F, (first & 0x80) != 0, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the next message: data frames reassembled, control frames as they come.
     *
     * @return a text or binary message, a ping, a pong or a close
     */
    public Received next() {
        while (true) {
            Frame frame = readFrame();
            switch (frame.opcode()) {
                case PING, PONG, CLOSE -> {
                    // Control frames may come between the fragments of a message.
                    return new Received(frame.opcode(), frame.payload());
                }
                default -> {
                    if (frame.opcode() != CONTINUATION) {
                        partialType = frame.opcode();
                        partial.reset();
                    }
                    partial.writeBytes(frame.payload());
                    if (frame.fin()) {
                        return new Received(partialType, partial.toByteArray());
                    }
                }
            }
        }
    }

    /**
     * Waits until the server closes the TCP connection.
     *
     * @param within how long to wait
     * @return whether the connection was closed in time
     */
    public boolean awaitEndOfStream(Duration within) {
        try {
            socket.setSoTimeout((int) Math.max(1, within.toMillis()));
            while (in.read() >= 0) {
                // discard whatever arrives before the end
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset is an end too.
            return true;
        }
    }

    /** Returns the socket, for tests that stop reading or drop it. */
    public Socket socket() {
        return socket;
    }

    /** Drops the TCP connection without a close frame. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                        ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        if (line.size() == 0) {
            throw new EOFException("connection closed before the answer");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A handshake's answer.
     *
     * @param statusLine the status line as received
     * @param status the status code
     * @param headers header values by lower-case name
     * @param body the body, when not upgraded
     * @param head the status line and headers as received
     * @param socket the open WebSocket on {@code 101}, else {@code null}
     */
    public record Answer(String statusLine, int status, Map<String, List<String>> headers,
            String body, String head, LoopbackWebSocket socket) {

        /** Returns the first value of a header, or {@code null}. */
        public String header(String lowerName) {
            List<String> values = headers.get(lowerName);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * One frame.
     *
     * @param opcode its opcode
     * @param fin whether it ends a message
     * @param payload its payload, unmasked
     */
    public record Frame(int opcode, boolean fin, byte[] payload) {
    }

    /**
     * One message or control frame.
     *
     * @param opcode {@link #TEXT}, {@link #BINARY}, {@link #PING}, {@link #PONG} or
     *         {@link #CLOSE}
     * @param payload the whole message's bytes
     */
    public record Received(int opcode, byte[] payload) {

        /** Returns the payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** Returns a close frame's code, or 1005 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)
                    : 1005;
        }

        /** Returns a close frame's reason. */
        public String closeReason() {
            return payload.length > 2
                    ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                    : "";
        }
    }
}
