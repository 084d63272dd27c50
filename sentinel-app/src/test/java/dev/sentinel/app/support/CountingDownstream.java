package dev.sentinel.app.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A downstream on raw sockets that counts its connections (accepted, and closed because
 * the peer left) and reads request bodies exactly by their framing, so a test can see
 * whether a body arrived whole, cut short, or never ended.
 *
 * <p>Paths: {@code /sse} answers a server-sent event stream that runs until the peer goes
 * away; {@code /sse-cut/<n>} sends n events and then drops the connection without ending
 * the stream; {@code /large/<bytes>} answers that many bytes with a length, counting what it
 * managed to write; anything else answers {@code 200 {}}. A connection whose request body
 * broke off is closed, never read further.
 */
public final class CountingDownstream implements AutoCloseable {

    /** How long a connection may sit without a byte before the stand-in gives up on it. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final int MAX_EVENTS = 100_000;

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger heads = new AtomicInteger();
    private final AtomicInteger streaming = new AtomicInteger();
    private final AtomicLong largeBytesWritten = new AtomicLong();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Duration eventInterval = Duration.ofMillis(50);

    private CountingDownstream(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("counting-downstream").start(this::acceptLoop);
    }

    /** Starts it on a free loopback port. */
    public static CountingDownstream start() {
        try {
            return new CountingDownstream(new ServerSocket(0, 2048,
                    InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the downstream", e);
        }
    }

    /** Returns its base URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Returns how many connections it accepted. */
    public int accepted() {
        return accepted.get();
    }

    /** Returns how many connections are open now: accepted and not yet closed. */
    public int openConnections() {
        return accepted.get() - closed.get();
    }

    /** Returns how many connections are open now serving an {@code /sse} stream. */
    public int openStreams() {
        return streaming.get();
    }

    /** Returns how many request heads arrived, including those whose body is still due. */
    public int heads() {
        return heads.get();
    }

    /** Returns the body bytes written to {@code /large} answers so far. */
    public long largeBytesWritten() {
        return largeBytesWritten.get();
    }

    /** Returns every request whose head arrived, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Sets the pause between two events of {@code /sse}. */
    public void eventInterval(Duration interval) {
        this.eventInterval = interval;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    private void acceptLoop() {
        int connection = 0;
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                int id = ++connection;
                Thread.ofVirtual().start(() -> serve(socket, id));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            int sequence = 0;
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                heads.incrementAndGet();
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                String path = requestLine.split(" ")[1];
                Body body = readBody(in, head.toLowerCase(Locale.ROOT));
                requests.add(new Request(connection, ++sequence, requestLine, body.declared(),
                        body.received(), body.complete()));
                if (!body.complete()) {
                    return;
                }
                if (path.startsWith("/sse")) {
                    int events = path.startsWith("/sse-cut/")
                            ? Integer.parseInt(path.substring("/sse-cut/".length()))
                            : MAX_EVENTS;
                    streaming.incrementAndGet();
                    try {
                        streamEvents(out, events);
                    } finally {
                        streaming.decrementAndGet();
                    }
                    return;
                }
                if (path.startsWith("/large/")) {
                    writeLarge(out, Long.parseLong(path.substring("/large/".length())));
                    continue;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // The peer went away; the connection is counted as closed below.
        } finally {
            closed.incrementAndGet();
        }
    }

    private void streamEvents(OutputStream out, int events) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < events; i++) {
            byte[] event = ("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(event.length) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(event);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sleep(eventInterval);
        }
    }

    private void writeLarge(OutputStream out, long length) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        byte[] block = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int size = (int) Math.min(block.length, left);
            out.write(block, 0, size);
            largeBytesWritten.addAndGet(size);
            left -= size;
        }
        out.flush();
    }

    private static Body readBody(InputStream in, String lowerHead) throws IOException {
        long declared = headerLong(lowerHead, "content-length");
        if (lowerHead.contains("\r\ntransfer-encoding: chunked")) {
            return readChunked(in);
        }
        if (declared <= 0) {
            return new Body(0, 0, true);
        }
        long received = 0;
        byte[] buffer = new byte[16 * 1024];
        try {
            while (received < declared) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, declared - received));
                if (read < 0) {
                    break;
                }
                received += read;
            }
        } catch (IOException e) {
            // Reset or timed out mid-body: what arrived is what counts.
        }
        return new Body(declared, received, received == declared);
    }

    private static Body readChunked(InputStream in) {
        long received = 0;
        try {
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    return new Body(-1, received, false);
                }
                int length = Integer.parseInt(size.strip(), 16);
                if (length == 0) {
                    String end = readLine(in);
                    return new Body(-1, received, end != null && end.isEmpty());
                }
                byte[] data = in.readNBytes(length);
                received += data.length;
                String crlf = readLine(in);
                if (data.length < length || crlf == null || !crlf.isEmpty()) {
                    return new Body(-1, received, false);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new Body(-1, received, false);
        }
    }

    private static long headerLong(String lowerHead, String name) {
        int at = lowerHead.indexOf("\r\n" + name + ":");
        if (at < 0) {
            return -1;
        }
        int start = at + name.length() + 3;
        int end = lowerHead.indexOf("\r\n", start);
        return Long.parseLong(lowerHead.substring(start, end).strip());
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

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Body(long declared, long received, boolean complete) {
    }

    /**
     * One request as the downstream read it.
     *
     * @param connection which accepted connection carried it, counting from 1
     * @param sequence its place on that connection, counting from 1
     * @param requestLine the request line
     * @param declaredLength its {@code Content-Length}, or -1
     * @param bodyBytes the body bytes that arrived
     * @param complete whether the body ended as its framing said it would
     */
    public record Request(int connection, int sequence, String requestLine,
            long declaredLength, long bodyBytes, boolean complete) {
    }
}
