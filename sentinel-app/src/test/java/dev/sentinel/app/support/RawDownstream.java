package dev.sentinel.app.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A downstream as lenient as New API's Go server about the request target: it records each
 * request head byte for byte, reads past its body and answers {@code 200 {}}, or whatever
 * bytes a test's {@link Answerer} writes, framed well or not. The JDK's HTTP server refuses
 * targets that {@code java.net.URI} cannot parse (such as {@code [} in a query), which New
 * API accepts, and cannot misframe an answer.
 */
public final class RawDownstream implements AutoCloseable {

    private static final Answerer EMPTY_JSON = (head, out) -> {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2"
                + "\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
        return true;
    };

    private final ServerSocket server;
    private final Answerer answerer;
    private final Predicate<String> takesBody;
    private final List<String> heads = new CopyOnWriteArrayList<>();

    private RawDownstream(ServerSocket server, Answerer answerer, Predicate<String> takesBody) {
        this.server = server;
        this.answerer = answerer;
        this.takesBody = takesBody;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    /** Starts it on a free loopback port, answering {@code 200 {}}. */
    public static RawDownstream start() throws IOException {
        return start(EMPTY_JSON);
    }

    /** Starts it on a free loopback port, answering as {@code answerer} writes. */
    public static RawDownstream start(Answerer answerer) throws IOException {
        return start(answerer, head -> true);
    }

    /**
     * Starts it on a free loopback port, answering as {@code answerer} writes, and leaving
     * unread the body of every request {@code takesBody} refuses.
     */
    public static RawDownstream start(Answerer answerer, Predicate<String> takesBody)
            throws IOException {
        return new RawDownstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                answerer, takesBody);
    }

    /** Returns its base URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Returns the request lines received, as ISO-8859-1 text. */
    public List<String> requestLines() {
        return heads.stream().map(head -> head.substring(0, head.indexOf("\r\n"))).toList();
    }

    /** Returns each request's line and headers as received, as ISO-8859-1 text. */
    public List<String> heads() {
        return List.copyOf(heads);
    }

    /** Forgets the requests received so far. */
    public void clear() {
        heads.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                heads.add(head);
                if (takesBody.test(head) && !skipBody(in, head)) {
                    return;
                }
                if (!answerer.answer(head, socket.getOutputStream())) {
                    return;
                }
            }
        } catch (IOException e) {
            // The proxy closed its pooled connection.
        }
    }

    /** Reads past a body framed by length or chunks; false when the stream ended first. */
    private static boolean skipBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    return false;
                }
                int semicolon = size.indexOf(';');
                long length = Long.parseLong((semicolon < 0 ? size : size.substring(0,
                        semicolon)).strip(), 16);
                if (length == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                    } while (trailer != null && !trailer.isEmpty());
                    return trailer != null;
                }
                in.skipNBytes(length);
                if (readLine(in) == null) {
                    return false;
                }
            }
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int end = lower.indexOf("\r\n", at + 2);
            long length = Long.parseLong(lower.substring(at + 17, end).strip());
            return in.readNBytes((int) length).length == length;
        }
        return true;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r'
                        ? line.length() - 1 : line.length();
                return line.substring(0, end);
            }
            line.append((char) b);
        }
        return null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** Writes the answer to one request. */
    @FunctionalInterface
    public interface Answerer {
        /**
         * Answers a request.
         *
         * @param head the request line and headers, as ISO-8859-1 text
         * @param out the connection, to write any bytes at any pace
         * @return whether to keep the connection for another request
         * @throws IOException when the proxy went away
         */
        boolean answer(String head, OutputStream out) throws IOException;
    }
}
