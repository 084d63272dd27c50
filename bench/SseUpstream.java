import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A streaming stand-in for New API for benchmarks: {@code GET /...?n=50&ms=20} answers with
 * server-sent events, event i due i x ms after the request arrived, one chunk per event, then
 * the end of the body. Each event carries the wall-clock time it was sent ({@code "t"}, in
 * microseconds since the epoch), so a client on this machine can tell how long it travelled.
 * Keep-alive; one virtual thread per connection. {@code java bench/SseUpstream.java <port>}.
 */
public final class SseUpstream {

    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private SseUpstream() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        ServerSocket server = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress());
        System.out.println("sse upstream listening on 127.0.0.1:" + port);
        while (true) {
            Socket socket = server.accept();
            Thread.ofVirtual().start(() -> serve(socket));
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String target;
            while ((target = readRequest(in)) != null) {
                int events = param(target, "n", 50);
                int millis = param(target, "ms", 20);
                long start = System.nanoTime();
                out.write(HEAD);
                out.flush();
                for (int i = 0; i < events; i++) {
                    long due = start + TimeUnit.MILLISECONDS.toNanos((long) i * millis);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    // One write per event, chunk framing included, as a server that flushes
                    // each event sends it: four small writes would reach the proxy as four
                    // segments, each read and relayed on its own.
                    out.write(chunk("data: {\"i\":" + i + ",\"t\":" + epochMicros()
                            + ",\"text\":\"token\"}\n\n"));
                    out.flush();
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // The client went away; nothing to do.
        }
    }

    /** The event as one chunk of a chunked body. */
    private static byte[] chunk(String event) {
        return (Integer.toHexString(event.length()) + "\r\n" + event + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Wall-clock time in microseconds, comparable with the load client's on this machine. */
    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** Reads one request head and returns its target, or null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        String first = null;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString().strip();
                line.setLength(0);
                if (first == null) {
                    first = text;
                } else if (text.isEmpty()) {
                    String[] parts = first.split(" ");
                    return parts.length > 1 ? parts[1] : "/";
                }
            } else {
                line.append((char) c);
            }
        }
        return null;
    }

    private static int param(String target, String name, int fallback) {
        int q = target.indexOf('?');
        if (q < 0) {
            return fallback;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return Integer.parseInt(pair.substring(name.length() + 1));
            }
        }
        return fallback;
    }
}
