package dev.sentinel.app.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A downstream as lenient as New API's Go server about the request target: it records each
 * request line byte for byte and answers {@code 200 {}}. The JDK's HTTP server refuses
 * targets that {@code java.net.URI} cannot parse (such as {@code [} in a query), which New
 * API accepts.
 */
public final class RawDownstream implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    private RawDownstream(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    /** Starts it on a free loopback port. */
    public static RawDownstream start() throws IOException {
        return new RawDownstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    /** Returns its base URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Returns the request lines received, as ISO-8859-1 text. */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
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
                requestLines.add(head.substring(0, head.indexOf("\r\n")));
                socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: "
                        + "application/json\r\nContent-Length: 2\r\n\r\n{}")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // The proxy closed its pooled connection.
        }
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
}
