import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load client for server-sent events, for benchmarks: opens many streams at once, one virtual
 * thread and one connection each, and measures the time to the first event of each stream
 * and how long every event took from the upstream's write (its {@code "t"} stamp) to here.
 * Every stream first connects; once all are connected (or {@code idleMs} passed) they wait
 * {@code idleMs}, then all send their request together.
 *
 * <pre>java bench/SseLoad.java port=8016 path=/v1/sse streams=500 events=50 ms=20
 *     key=sk-... realIp=192.0.2.7 idleMs=0 deadlineSec=120</pre>
 *
 * Prints one line of key=value figures; times in milliseconds. With {@code rounds=true} it
 * runs once per line of standard input, whose key=value pairs replace the arguments', until
 * an empty line or the end of input.
 */
public final class SseLoad {

    private SseLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        if (!Boolean.parseBoolean(opts.getOrDefault("rounds", "false"))) {
            System.out.println(run(opts));
            System.exit(0);
        }
        // One run per line of standard input, its key=value pairs over the arguments', in
        // this one JVM: a client started afresh for every run would compile its own code on
        // the cores it measures.
        BufferedReader commands = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = commands.readLine()) != null && !line.isBlank()) {
            Map<String, String> these = new HashMap<>(opts);
            these.putAll(options(line.strip().split("\\s+")));
            System.out.println(run(these));
            System.out.flush();
        }
        System.exit(0);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return opts;
    }

    /** Runs the streams; returns the figures line. */
    private static String run(Map<String, String> opts) throws InterruptedException {
        int port = Integer.parseInt(opts.get("port"));
        String path = opts.getOrDefault("path", "/v1/sse");
        int streams = Integer.parseInt(opts.getOrDefault("streams", "500"));
        int events = Integer.parseInt(opts.getOrDefault("events", "50"));
        int ms = Integer.parseInt(opts.getOrDefault("ms", "20"));
        long idleMs = Long.parseLong(opts.getOrDefault("idleMs", "0"));
        long deadline = System.nanoTime()
                + TimeUnit.SECONDS.toNanos(Long.parseLong(opts.getOrDefault("deadlineSec", "120")));
        String key = opts.get("key");
        String realIp = opts.get("realIp");
        String target = path + (path.contains("?") ? "&" : "?") + "n=" + events + "&ms=" + ms;
        String head = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                + (realIp == null ? "" : "X-Real-IP: " + realIp + "\r\n") + "\r\n";
        byte[] request = head.getBytes(StandardCharsets.US_ASCII);

        float[] ttfe = new float[streams];
        Arrays.fill(ttfe, Float.NaN);
        float[] delays = new float[streams * events];
        Arrays.fill(delays, Float.NaN);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger connected = new AtomicInteger();
        AtomicLong received = new AtomicLong();
        AtomicLong firstError = new AtomicLong();
        String[] errorText = new String[1];
        CountDownLatch allConnected = new CountDownLatch(streams);
        CountDownLatch done = new CountDownLatch(streams);
        // Connect in waves: a burst of thousands of SYNs would overflow the listen backlog.
        Semaphore connecting = new Semaphore(256);
        long started = System.nanoTime();

        for (int s = 0; s < streams; s++) {
            int stream = s;
            Thread.ofVirtual().start(() -> {
                Socket socket = new Socket();
                try (socket) {
                    connecting.acquire();
                    try {
                        socket.setTcpNoDelay(true);
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    } finally {
                        connecting.release();
                    }
                    connected.incrementAndGet();
                    allConnected.countDown();
                    if (idleMs > 0) {
                        allConnected.await(remaining(deadline), TimeUnit.NANOSECONDS);
                        Thread.sleep(idleMs);
                    }
                    socket.setSoTimeout((int) Math.max(1, remaining(deadline) / 1_000_000));
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    OutputStream out = socket.getOutputStream();
                    long sent = System.nanoTime();
                    out.write(request);
                    out.flush();
                    int got = readStream(in, sent, events, stream, ttfe, delays);
                    received.addAndGet(got);
                    if (got == events) {
                        completed.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    allConnected.countDown();
                    if (firstError.compareAndSet(0, 1)) {
                        errorText[0] = e.toString().replace(' ', '_');
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        boolean finished = done.await(remaining(deadline), TimeUnit.NANOSECONDS);
        double wall = (System.nanoTime() - started) / 1e9;

        float[] firsts = sorted(ttfe);
        float[] all = sorted(delays);
        long expected = (long) streams * events;
        return String.format(Locale.ROOT, "streams=%d connected=%d completed=%d failed=%d "
                + "events=%d lost=%d ttfe_mean_ms=%.3f ttfe_p50_ms=%.3f ttfe_p99_ms=%.3f "
                + "delay_mean_ms=%.3f delay_p99_ms=%.3f wall_s=%.1f finished=%b error=%s",
                streams, connected.get(), completed.get(), failed.get(), received.get(),
                expected - received.get(), mean(firsts), pct(firsts, 50), pct(firsts, 99),
                mean(all), pct(all, 99), wall, finished, errorText[0]);
    }

    /** Reads one answer, chunked or not; returns how many events arrived. */
    private static int readStream(InputStream in, long sent, int events, int stream,
            float[] ttfe, float[] delays) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.1 200")) {
            throw new IOException("status " + status);
        }
        boolean chunked = false;
        long length = -1;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            }
        }
        int[] count = {0};
        int[] lastByte = {0};
        byte[] event = new byte[256];
        int[] eventLength = {0};
        long[] remaining = {length < 0 ? Long.MAX_VALUE : length};
        byte[] buffer = new byte[8192];
        while (true) {
            int size;
            if (chunked) {
                String sizeLine = line(in);
                if (sizeLine == null) {
                    break;
                }
                int semi = sizeLine.indexOf(';');
                size = Integer.parseInt(semi < 0 ? sizeLine.trim() : sizeLine.substring(0, semi)
                        .trim(), 16);
                if (size == 0) {
                    line(in);
                    break;
                }
            } else {
                if (remaining[0] == 0) {
                    break;
                }
                size = (int) Math.min(buffer.length, remaining[0]);
            }
            int left = size;
            while (left > 0) {
                int read = in.read(buffer, 0, Math.min(buffer.length, left));
                if (read < 0) {
                    return count[0];
                }
                long now = System.nanoTime();
                long nowMicros = epochMicros();
                for (int i = 0; i < read; i++) {
                    int b = buffer[i];
                    if (b == '\n' && lastByte[0] == '\n') {
                        int n = count[0]++;
                        if (n == 0) {
                            ttfe[stream] = (float) ((now - sent) / 1e6);
                        }
                        // The upstream stamped the event when it sent it: what is left is
                        // its way here, proxies included.
                        long sentAt = stamp(event, eventLength[0]);
                        if (n < events && sentAt > 0) {
                            delays[stream * events + n] = (nowMicros - sentAt) / 1000f;
                        }
                        eventLength[0] = 0;
                    } else if (eventLength[0] < event.length) {
                        event[eventLength[0]++] = (byte) b;
                    }
                    lastByte[0] = b;
                }
                left -= read;
                remaining[0] -= read;
                if (!chunked) {
                    break;
                }
            }
            if (chunked) {
                line(in);
            }
        }
        return count[0];
    }

    /** The event's {@code "t"} field: when the upstream sent it; 0 if it has none. */
    private static long stamp(byte[] event, int length) {
        String text = new String(event, 0, length, StandardCharsets.US_ASCII);
        int at = text.indexOf("\"t\":");
        if (at < 0) {
            return 0;
        }
        long micros = 0;
        for (int i = at + 4; i < length && Character.isDigit(text.charAt(i)); i++) {
            micros = micros * 10 + (text.charAt(i) - '0');
        }
        return micros;
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
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

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static float[] sorted(float[] values) {
        float[] kept = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (!Float.isNaN(v)) {
                kept[n++] = v;
            }
        }
        float[] result = Arrays.copyOf(kept, n);
        Arrays.sort(result);
        return result;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    private static double pct(float[] values, int p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        return values[Math.min(values.length - 1, (int) Math.ceil(values.length * p / 100.0) - 1)];
    }
}
