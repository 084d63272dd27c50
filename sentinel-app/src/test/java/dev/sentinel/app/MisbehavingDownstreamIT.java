package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.RawDownstream;
import dev.sentinel.app.support.SentinelUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A New API that frames its answers wrongly or goes silent. Whatever it sends, no client
 * receives bytes meant for another request, every such answer ends in a 502 or a visibly
 * cut stream, and silence ends at the idle timeout, not twice it.
 *
 * <p>Requests go one at a time, so each reuses the connection the previous one released.
 */
class MisbehavingDownstreamIT {

    private static final int IDLE_SECONDS = 2;

    private static RawDownstream downstream;
    private static SentinelUnderTest sentinel;
    private static String key;

    @BeforeAll
    static void start() throws IOException {
        downstream = RawDownstream.start(MisbehavingDownstreamIT::answer,
                head -> !head.startsWith("POST /unread-body"));
        sentinel = SentinelUnderTest.start("misbehaving", Map.of(
                "DOWNSTREAM_URL", downstream.url(),
                "DOWNSTREAM_IDLE_TIMEOUT_SECONDS", String.valueOf(IDLE_SECONDS)));
        key = Keys.fresh();
        assertThat(get("/echo?tag=bind").body()).isEqualTo("answer-for-bind");
    }

    @AfterAll
    static void stop() throws IOException {
        sentinel.close();
        downstream.close();
    }

    @Test
    void bytesBeyondAnAnswersLengthNeverReachTheNextRequest() {
        for (int round = 0; round < 3; round++) {
            assertThat(get("/overlong").body()).isEqualTo("first");

            assertThat(get("/echo?tag=" + round).body()).isEqualTo("answer-for-" + round);
        }
    }

    @Test
    void bytesArrivingOnAnIdleConnectionNeverReachTheNextRequest() throws InterruptedException {
        assertThat(get("/late").body()).isEqualTo("first");

        // The stray answer arrives while the connection sits in Sentinel's pool.
        Thread.sleep(400);

        assertThat(get("/echo?tag=after-late").body()).isEqualTo("answer-for-after-late");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/interim", "/both-lengths", "/coded"})
    void anAnswerOfUnclearEndIsRefusedAndItsConnectionDropped(String path) {
        Response refused = get(path);

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.body()).contains("downstream_unreachable");
        assertThat(get("/echo?tag=after" + path.substring(1)).body())
                .isEqualTo("answer-for-after" + path.substring(1));
    }

    @Test
    void trailersNewApiDidNotAnnounceDoNotBreakTheNextRequest() {
        assertThat(get("/trailers").body()).isEqualTo("hello");

        assertThat(get("/echo?tag=after-trailers").body()).isEqualTo("answer-for-after-trailers");
    }

    @Test
    void newApiSilentBeforeAnsweringGets504AtTheIdleTimeout() {
        long started = System.nanoTime();
        Response response = get("/silent");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).contains("downstream_timeout");
        assertThat(took).isBetween(Duration.ofSeconds(IDLE_SECONDS),
                Duration.ofMillis(IDLE_SECONDS * 1000L + 1500));
    }

    @Test
    void newApiSilentMidAnswerEndsTheStreamAtTheIdleTimeout() throws IOException {
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            LoopbackClient.write(socket, "GET /stall HTTP/1.1\r\nHost: sentinel.test\r\n"
                    + "Authorization: Bearer " + key + "\r\n\r\n");
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long firstChunkAt = 0;
            int b;
            while ((b = in.read()) >= 0) {
                received.write(b);
                if (firstChunkAt == 0 && received.toString(StandardCharsets.ISO_8859_1)
                        .endsWith("first\r\n")) {
                    firstChunkAt = System.nanoTime();
                }
            }
            Duration cutAfter = Duration.ofNanos(System.nanoTime() - firstChunkAt);

            String text = received.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 200").contains("5\r\nfirst\r\n")
                    .doesNotContain("0\r\n\r\n");
            assertThat(cutAfter).isBetween(Duration.ofMillis(IDLE_SECONDS * 1000L - 100),
                    Duration.ofMillis(IDLE_SECONDS * 1000L + 1500));
        }
    }

    @Test
    void anUploadSlowerThanTheIdleTimeoutIsNotCut() throws Exception {
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            LoopbackClient.write(socket, "POST /echo?tag=slow-upload HTTP/1.1\r\n"
                    + "Host: sentinel.test\r\nAuthorization: Bearer " + key
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            // New API waits for the body all this time; that is not its silence.
            for (int part = 0; part < 4; part++) {
                LoopbackClient.write(socket, "2\r\n{}\r\n");
                Thread.sleep(IDLE_SECONDS * 1000L / 2);
            }
            LoopbackClient.write(socket, "0\r\n\r\n");

            assertThat(readUntil(socket.getInputStream(), "answer-for-slow-upload"))
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void anAnswerEndedByClosingItsConnectionDoesNotBreakTheNextRequest() {
        assertThat(get("/ends-by-closing").status()).isEqualTo(200);

        assertThat(get("/echo?tag=after-closing").body()).isEqualTo("answer-for-after-closing");
    }

    @Test
    void aNewApiClosingIdleConnectionsEarlyFailsOneRequestAtMost()
            throws InterruptedException {
        // An instance of its own: what it learns about New API must not change other tests.
        Sentinel instance = sentinel.startInstance();
        int failed = 0;
        for (int round = 0; round < 6; round++) {
            // New API closes every connection right after answering, without saying so.
            Response response = sentinel.from("127.0.0.2", instance).get("/closes-after",
                    "Authorization: Bearer " + key);
            if (response.status() == 502) {
                failed++;
            } else {
                assertThat(response.body()).isEqualTo("closing");
            }
            Thread.sleep(300);
        }

        assertThat(failed).isLessThanOrEqualTo(1);
    }

    @Test
    void aNewApiThatStopsTakingTheBodyGets504AtTheIdleTimeout() throws Exception {
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            long length = 64L * 1024 * 1024;
            LoopbackClient.write(socket, "POST /unread-body HTTP/1.1\r\nHost: sentinel.test\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Length: " + length
                    + "\r\n\r\n");
            Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    for (long sent = 0; sent < length; sent += chunk.length) {
                        socket.getOutputStream().write(chunk);
                    }
                } catch (IOException e) {
                    // Sentinel stopped reading after answering.
                }
            });
            long started = System.nanoTime();

            String answer = readUntil(socket.getInputStream(), "}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer).startsWith("HTTP/1.1 504").contains("downstream_timeout");
            assertThat(took).isLessThan(Duration.ofMillis(IDLE_SECONDS * 1000L + 3000));
        }
    }

    /** Reads until the text ends with {@code end}; fails at the end of the stream. */
    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (!received.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
            int b = in.read();
            assertThat(b).as("bytes until %s, got %s", end, received).isNotNegative();
            received.write(b);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static Response get(String target) {
        return sentinel.from("127.0.0.2").get(target, "Authorization: Bearer " + key);
    }

    /** New API as the path says: well, too long, too late, unclear, or silent. */
    private static boolean answer(String head, OutputStream out) throws IOException {
        String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        switch (path) {
            case "/echo" -> write(out, lengthFramed("answer-for-"
                    + target.substring(target.indexOf("tag=") + 4)));
            case "/overlong" -> write(out, lengthFramed("first") + lengthFramed("SMUGGLED"));
            case "/late" -> {
                write(out, lengthFramed("first"));
                Thread.ofVirtual().start(() -> {
                    pause(200);
                    try {
                        write(out, lengthFramed("LATE"));
                    } catch (IOException e) {
                        // Sentinel closed the connection first: nothing to smuggle.
                    }
                });
            }
            case "/interim" -> {
                write(out, "HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n");
                pause(50);
                write(out, lengthFramed("final"));
            }
            case "/both-lengths" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(5000) + "\r\n"
                    + "x".repeat(5000) + "\r\n0\r\n\r\n");
            case "/coded" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked"
                    + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            case "/trailers" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n");
            case "/ends-by-closing" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
                return false;
            }
            case "/closes-after" -> {
                write(out, lengthFramed("closing"));
                return false;
            }
            case "/unread-body" -> {
                pause(IDLE_SECONDS * 4000L);
                return false;
            }
            case "/silent" -> {
                pause(IDLE_SECONDS * 4000L);
                return false;
            }
            case "/stall" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
                pause(IDLE_SECONDS * 4000L);
                return false;
            }
            default -> write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
        return true;
    }

    private static String lengthFramed(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
    }

    private static void write(OutputStream out, String text) throws IOException {
        synchronized (out) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
