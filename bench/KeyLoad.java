import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load client for a fixed number of requests, each with a key never sent before, for
 * benchmarks: wrk can count requests only by time. Keep-alive connections, one virtual
 * thread each, requests taken from one counter until {@code requests} were sent.
 *
 * <pre>java bench/KeyLoad.java port=8016 connections=64 requests=10000 keyPrefix=sk-fresh1
 *     realIp=127.0.0.1 path=/v1/models deadlineSec=120</pre>
 *
 * Prints one line of key=value figures; times in milliseconds. With {@code rounds=true} it
 * reads key prefixes from standard input, one per line, and runs and reports a round for
 * each, until an empty line or the end of input.
 */
public final class KeyLoad {

    private KeyLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        if (!Boolean.parseBoolean(opts.getOrDefault("rounds", "false"))) {
            System.out.println(round(opts, opts.getOrDefault("keyPrefix", "sk-fresh")));
            System.exit(0);
        }
        // One round per key prefix read from standard input, in this one JVM: a client
        // started afresh for every round would compile its own code on the cores it measures.
        BufferedReader commands = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String keyPrefix;
        while ((keyPrefix = commands.readLine()) != null && !keyPrefix.isBlank()) {
            System.out.println(round(opts, keyPrefix.strip()));
            System.out.flush();
        }
        System.exit(0);
    }

    /** Sends {@code requests} requests, each with a new key; returns the figures line. */
    private static String round(Map<String, String> opts, String keyPrefix)
            throws InterruptedException {
        int port = Integer.parseInt(opts.get("port"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "64"));
        int requests = Integer.parseInt(opts.getOrDefault("requests", "10000"));
        String realIp = opts.getOrDefault("realIp", "127.0.0.1");
        String path = opts.getOrDefault("path", "/v1/models");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(
                Long.parseLong(opts.getOrDefault("deadlineSec", "120")));

        AtomicInteger next = new AtomicInteger();
        float[] latencies = new float[requests];
        Arrays.fill(latencies, Float.NaN);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(30_000);
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
                    OutputStream out = socket.getOutputStream();
                    int n;
                    while ((n = next.getAndIncrement()) < requests
                            && System.nanoTime() < deadline) {
                        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Authorization: Bearer " + keyPrefix + "n" + n + "\r\n"
                                + "X-Real-IP: " + realIp + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        long sent = System.nanoTime();
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        latencies[n] = (float) ((System.nanoTime() - sent) / 1e6);
                        statuses.computeIfAbsent(status, s -> new AtomicInteger())
                                .incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        boolean finished = done.await(Math.max(1, deadline - System.nanoTime()),
                TimeUnit.NANOSECONDS);
        double wall = (System.nanoTime() - started) / 1e9;

        double[] sorted = Arrays.stream(toDoubles(latencies)).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        int answered = sorted.length;
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((s, count) -> counts.put(s, count.get()));
        return String.format(Locale.ROOT, "requests=%d answered=%d rps=%.0f p50_ms=%.3f "
                + "p99_ms=%.3f max_ms=%.3f wall_s=%.2f errors=%d finished=%b statuses=%s",
                requests, answered, answered / wall, pct(sorted, 50), pct(sorted, 99),
                answered == 0 ? Double.NaN : sorted[answered - 1], wall, errors.get(),
                finished, counts.toString().replace(" ", "").replace("=", ":"));
    }

    /** Reads one response with a Content-Length or chunked body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = 0;
        boolean chunked = false;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            skip(in, length);
            return code;
        }
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                line(in);
                return code;
            }
            skip(in, size);
            line(in);
        }
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("body cut short");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return text.toString().strip();
            }
            text.append((char) c);
        }
        return text.isEmpty() ? null : text.toString();
    }

    private static double[] toDoubles(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }
}
