package dev.sentinel.app.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A small HTTP/1.1 client whose socket is bound to a chosen loopback address (all of
 * 127.0.0.0/8 is local), so that tests can be several clients at once. It writes requests
 * byte for byte as given and reads responses incrementally, so tests can also send what no
 * well-behaved client would and time each streamed chunk.
 */
public final class LoopbackClient {

    private final InetAddress source;
    private final InetSocketAddress target;

    /**
     * Creates a client.
     *
     * @param sourceIp the local address to bind, such as {@code 127.0.0.2}
     * @param target Sentinel's address
     */
    public LoopbackClient(String sourceIp, InetSocketAddress target) {
        try {
            this.source = InetAddress.getByAddress(parse(sourceIp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.target = target;
    }

    /** Sends a GET with the given headers. */
    public Response get(String target, String... headerLines) {
        return exchange(request("GET", target, headerLines, null));
    }

    /** Sends a request with a JSON body. */
    public Response post(String target, String json, String... headerLines) {
        return exchange(request("POST", target, headerLines, json));
    }

    /** Sends raw bytes and reads one response. */
    public Response exchange(byte[] raw) {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
            return readResponse(socket.getInputStream(), chunk -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a request and hands each body chunk to {@code onChunk} as it arrives, with its
     * arrival time.
     */
    public Response stream(byte[] raw, Consumer<Chunk> onChunk) {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
            return readResponse(socket.getInputStream(), onChunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends raw bytes on a socket {@link #connect()} opened earlier and reads one response,
     * so that a test can open many connections first and send on all of them at once.
     */
    public static Response exchange(Socket socket, byte[] raw) throws IOException {
        socket.getOutputStream().write(raw);
        socket.getOutputStream().flush();
        return readResponse(socket.getInputStream(), chunk -> { });
    }

    /** Opens a socket from the source address; the caller owns it. */
    public Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(target, 5000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Builds a request with {@code Host}, {@code Connection: close} and a body length. */
    public static byte[] request(String method, String target, String[] headerLines,
            String body) {
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        text.append("Host: sentinel.test\r\n");
        text.append("Connection: close\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            text.append("Content-Type: application/json\r\n");
            text.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
        }
        text.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bodyBytes);
        return out.toByteArray();
    }

    private static Response readResponse(InputStream in, Consumer<Chunk> onChunk)
            throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a status line");
        }
        long headersAt = System.nanoTime();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> lengths = headers.getOrDefault("content-length", List.of());
        boolean chunked = headers.getOrDefault("transfer-encoding", List.of())
                .contains("chunked");
        if (chunked) {
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    break;
                }
                int length = Integer.parseInt(size.strip(), 16);
                if (length == 0) {
                    readLine(in);
                    break;
                }
                byte[] data = in.readNBytes(length);
                readLine(in);
                body.writeBytes(data);
                onChunk.accept(new Chunk(System.nanoTime(), data));
            }
        } else if (!lengths.isEmpty()) {
            byte[] data = in.readNBytes(Integer.parseInt(lengths.get(0)));
            body.writeBytes(data);
            onChunk.accept(new Chunk(System.nanoTime(), data));
        } else if (status != 204 && status != 304) {
            byte[] data = in.readAllBytes();
            body.writeBytes(data);
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8), headersAt);
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
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] parse(String ipv4) {
        String[] parts = ipv4.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    /** Returns a socket writer for tests that drive a connection by hand. */
    public static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * A response.
     *
     * @param status the status code
     * @param headers header values by lower-case name
     * @param body the body as text
     * @param headersAt {@link System#nanoTime()} when the status line arrived
     */
    public record Response(int status, Map<String, List<String>> headers, String body,
            long headersAt) {

        /** Returns the first value of a header, or {@code null}. */
        public String header(String lowerName) {
            List<String> values = headers.get(lowerName);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * A body chunk and when it arrived.
     *
     * @param nanoTime {@link System#nanoTime()} at arrival
     * @param data the bytes
     */
    public record Chunk(long nanoTime, byte[] data) {
    }
}
