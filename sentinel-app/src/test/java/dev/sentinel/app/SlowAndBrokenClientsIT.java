package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.CountingDownstream;
import dev.sentinel.app.support.CountingDownstream.Request;
import dev.sentinel.app.support.Eventually;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that go away mid-stream, abort uploads, stop reading, or send their headers a
 * byte at a time: none of them may leave New API with a half-finished request, hold
 * downstream connections, or make Sentinel hold a response in memory.
 */
class SlowAndBrokenClientsIT {

    private static final System.Logger LOG =
            System.getLogger(SlowAndBrokenClientsIT.class.getName());

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(3);

    private static CountingDownstream downstream;
    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        downstream = CountingDownstream.start();
        sentinel = SentinelUnderTest.startWithoutRedis("slowclients",
                Map.of("DOWNSTREAM_URL", downstream.url(), "CLIENT_HEADER_TIMEOUT_SECONDS",
                        String.valueOf(HEAD_TIMEOUT.toSeconds())));
    }

    @AfterAll
    static void stop() {
        try {
            sentinel.close();
        } finally {
            downstream.close();
        }
    }

    @Test
    void anAbortedUploadIsNotLeftOpenDownstreamWaitingForTheRestOfItsBody() throws Exception {
        int requestsBefore = downstream.requests().size();

        abortUpload("Content-Length: 100000\r\n", new byte[40_000]);
        abortUpload("Transfer-Encoding: chunked\r\n", concat(chunk(6000),
                "9c40\r\n".getBytes(StandardCharsets.ISO_8859_1), new byte[1000]));

        assertThat(Eventually.within(Duration.ofSeconds(2),
                () -> downstream.openConnections() == 0))
                .as("downstream connections still open after the uploads broke off: %s",
                        downstream.openConnections())
                .isTrue();
        List<Request> uploads = downstream.requests().subList(requestsBefore,
                downstream.requests().size());
        assertThat(uploads).hasSize(2).noneMatch(Request::complete);

        Response next = sentinel.from("127.0.0.2").post("/v1/embeddings", "{\"input\":\"x\"}");
        assertThat(next.status()).isEqualTo(200);
        Request served = downstream.requests().getLast();
        assertThat(served.requestLine()).startsWith("POST /v1/embeddings ");
        assertThat(served.complete()).isTrue();
        assertThat(served.bodyBytes()).isEqualTo("{\"input\":\"x\"}".length());

        // Clean exchanges still share one kept-alive connection. Sentinel releases it just
        // after the answer's last byte; give that a moment, or the next request may race it.
        Thread.sleep(200);
        assertThat(sentinel.from("127.0.0.2").get("/v1/models").status()).isEqualTo(200);
        assertThat(downstream.requests().getLast().connection())
                .isEqualTo(served.connection());
    }

    @Test
    void anUploadCutBetweenTwoChunksIsNotCompletedDownstream() throws Exception {
        int requestsBefore = downstream.requests().size();
        abortUpload("Transfer-Encoding: chunked\r\n", concat(chunk(6000), chunk(6000)));

        assertThat(Eventually.within(Duration.ofSeconds(2),
                () -> downstream.requests().size() > requestsBefore
                        && downstream.openConnections() == 0)).isTrue();
        assertThat(downstream.requests().subList(requestsBefore, downstream.requests().size()))
                .singleElement().satisfies(upload -> {
                    assertThat(upload.complete()).isFalse();
                    assertThat(upload.bodyBytes()).isEqualTo(12_000);
                });
    }

    @Test
    void aThousandStreamsAbortedByTheirClientsLeaveNoDownstreamConnectionOpen()
            throws Exception {
        downstream.eventInterval(Duration.ofMillis(20));
        int acceptedBefore = downstream.accepted();
        int openBefore = downstream.openConnections();
        int streams = 1000;
        LoopbackClient client = sentinel.from("127.0.0.3");
        Semaphore concurrent = new Semaphore(100);

        long started = System.nanoTime();
        List<Future<?>> aborted = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                aborted.add(clients.submit(() -> {
                    concurrent.acquireUninterruptibly();
                    try {
                        abortStreamAfterFirstEvent(client);
                    } finally {
                        concurrent.release();
                    }
                    return null;
                }));
            }
            for (Future<?> stream : aborted) {
                stream.get();
            }
        }
        long abortedAt = System.nanoTime();
        boolean drained = Eventually.within(Duration.ofSeconds(2),
                () -> downstream.openStreams() == 0);
        long drainedAt = System.nanoTime();

        LOG.log(System.Logger.Level.INFO, "streams aborted count={0} abortMillis={1} "
                + "drainMillis={2} openStreams={3} openDownstream={4} openBefore={5} "
                + "acceptedDownstream={6}", streams, (abortedAt - started) / 1_000_000,
                (drainedAt - abortedAt) / 1_000_000, downstream.openStreams(),
                downstream.openConnections(), openBefore, downstream.accepted() - acceptedBefore);
        assertThat(drained).as("downstream streams still open 2 s after the last abort: %s",
                downstream.openStreams()).isTrue();
        // Pooled idle connections may have carried a stream; none was added or kept.
        assertThat(downstream.openConnections()).isLessThanOrEqualTo(openBefore);
    }

    @Test
    void aStreamNewApiBreaksOffIsCountedAsBrokenAndLoggedInOneLineWithoutAStackTrace()
            throws Exception {
        double before = brokenStreams();
        int logFrom = LogCapture.text().length();

        String answer;
        try (Socket socket = sentinel.from("127.0.0.5").connect()) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /sse-cut/3 HTTP/1.1\r\nHost: s\r\n"
                    + "Authorization: Bearer " + Keys.fresh() + "\r\n"
                    + "Accept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            answer = readUntilClosed(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 200").contains("data: {\"n\":2}");
        // The connection ends without the last chunk, so the client can tell it was cut.
        assertThat(answer).doesNotEndWith("0\r\n\r\n");
        assertThat(Eventually.within(Duration.ofSeconds(2),
                () -> brokenStreams() >= before + 1)).as("sentinel_streams_broken_total")
                .isTrue();
        String log = LogCapture.text().substring(logFrom);
        assertThat(log).contains("stream broke off").contains("side=downstream")
                .doesNotContain("cannot send error response").doesNotContain("\tat ");
    }

    @Test
    void aStreamItsClientAbortsIsCountedAsBrokenAndLoggedWithoutAStackTrace() {
        downstream.eventInterval(Duration.ofMillis(20));
        double before = brokenStreams();
        int logFrom = LogCapture.text().length();

        abortStreamAfterFirstEvent(sentinel.from("127.0.0.5"));

        assertThat(Eventually.within(Duration.ofSeconds(3),
                () -> brokenStreams() >= before + 1)).as("sentinel_streams_broken_total")
                .isTrue();
        // A cancelled stream is routine: counted, not logged at INFO.
        String log = LogCapture.text().substring(logFrom);
        assertThat(log).doesNotContain("side=client")
                .doesNotContain("cannot send error response").doesNotContain("\tat ");
    }

    @Test
    void aClientThatStopsReadingDoesNotMakeSentinelHoldTheAnswerInMemory() throws Exception {
        long length = 256L * 1024 * 1024;
        long writtenBefore = downstream.largeBytesWritten();
        try (Socket socket = sentinel.from("127.0.0.4").connect()) {
            socket.getOutputStream().write(("GET /large/" + length + " HTTP/1.1\r\nHost: s\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 200 ");
            byte[] buffer = new byte[64 * 1024];
            long received = Math.max(0, in.read(buffer));

            // The client reads nothing more; New API can only write what the sockets hold.
            long stalled = waitUntilSteady(() -> downstream.largeBytesWritten() - writtenBefore);
            long heapWhileStalled = usedHeap();
            LOG.log(System.Logger.Level.INFO, "slow reader stalledAtBytes={0} of={1} "
                    + "usedHeapMiB={2}", stalled, length, heapWhileStalled / (1024 * 1024));
            assertThat(stalled).as("bytes New API got rid of while the client read nothing")
                    .isLessThan(64L * 1024 * 1024);

            // Helidon leaves closing to the client, so the body's length marks its end.
            int read;
            while (received < length && (read = in.read(buffer)) >= 0) {
                received += read;
            }
            assertThat(received).isEqualTo(length);
        }
    }

    @Test
    void clientsSendingTheirHeadersAByteEveryTwoSecondsAreCutOffWhileOthersAreServed()
            throws Exception {
        int slowClients = 50;
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Socket> slow = new ArrayList<>();
        try {
            long opened = System.nanoTime();
            for (int i = 0; i < slowClients; i++) {
                Socket socket = sentinel.from("127.0.0.5").connect();
                socket.getOutputStream().write("GET /v1/models HTTP/1.1\r\nHost: s\r\nX-Slow: "
                        .getBytes(StandardCharsets.ISO_8859_1));
                slow.add(socket);
            }
            long slowestAnswer = 0;
            int answered = 0;
            int stillSending = slowClients;
            for (int round = 0; round < 3; round++) {
                stillSending = 0;
                for (Socket socket : slow) {
                    stillSending += sendByte(socket) ? 1 : 0;
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < deadline) {
                    long sent = System.nanoTime();
                    Response response = sentinel.from("127.0.0.6").get("/v1/models");
                    slowestAnswer = Math.max(slowestAnswer, System.nanoTime() - sent);
                    assertThat(response.status()).isEqualTo(200);
                    answered++;
                    Thread.sleep(50);
                }
            }
            int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
            int cutOff = 0;
            String seen = "";
            for (Socket socket : slow) {
                socket.setSoTimeout(1000);
                String answer = whatTheClientSaw(socket);
                cutOff += answer.startsWith("closed") ? 1 : 0;
                seen = answer;
            }
            LOG.log(System.Logger.Level.INFO, "slow header clients={0} cutOff={1} "
                    + "stillSendingInRound3={2} afterMillis={3} saw={4} normalAnswers={5} "
                    + "slowestNormalMillis={6} platformThreads={7}->{8}", slowClients, cutOff,
                    stillSending, (System.nanoTime() - opened) / 1_000_000, seen, answered,
                    slowestAnswer / 1_000_000, threadsBefore, threadsDuring);
            assertThat(cutOff).as("slow clients cut off").isEqualTo(slowClients);
            assertThat(slowestAnswer).isLessThan(Duration.ofSeconds(1).toNanos());
            assertThat(threadsDuring - threadsBefore).as("platform threads added")
                    .isLessThan(10);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aKeptAliveConnectionIsNotCutOffBetweenRequests() throws Exception {
        try (Socket socket = sentinel.from("127.0.0.7").connect()) {
            byte[] request = "GET /v1/models HTTP/1.1\r\nHost: s\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write(request);
            assertThat(readHead(in)).startsWith("HTTP/1.1 200 ");
            assertThat(in.readNBytes(2)).isEqualTo("{}".getBytes(StandardCharsets.ISO_8859_1));

            Thread.sleep(HEAD_TIMEOUT.plusSeconds(1));

            socket.getOutputStream().write(request);
            assertThat(readHead(in)).startsWith("HTTP/1.1 200 ");
        }
    }

    /** Sends an upload's head and part of its body, waits until it reached New API, leaves. */
    private static void abortUpload(String framing, byte[] partialBody) throws IOException {
        int headsBefore = downstream.heads();
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: s\r\n" + framing
                    + "Content-Type: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(partialBody);
            out.flush();
            assertThat(Eventually.within(Duration.ofSeconds(5),
                    () -> downstream.heads() > headsBefore))
                    .as("the upload reached the downstream").isTrue();
        }
    }

    /** Polls a growing figure until it stops growing for half a second; returns it. */
    private static long waitUntilSteady(LongSupplier figure)
            throws InterruptedException {
        long last = -1;
        long now = figure.getAsLong();
        for (int i = 0; i < 40 && now != last; i++) {
            Thread.sleep(500);
            last = now;
            now = figure.getAsLong();
        }
        return now;
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Sends one more header byte; returns whether the connection still took it. */
    private static boolean sendByte(Socket socket) {
        try {
            socket.getOutputStream().write('a');
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns what came back on a socket: closed (and how), an answer, or nothing yet. */
    private static String whatTheClientSaw(Socket socket) {
        try {
            int first = socket.getInputStream().read();
            return first < 0 ? "closed without an answer" : "an answer";
        } catch (SocketTimeoutException e) {
            return "nothing, still open";
        } catch (IOException e) {
            return "closed by reset";
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Returns one whole chunk of a chunked body: size line, data, line end. */
    private static byte[] chunk(int size) {
        return concat((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1),
                new byte[size], "\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static double brokenStreams() {
        return sentinel.metrics(sentinel.sentinel()).value("sentinel_streams_broken_total");
    }

    /** Reads until the peer closes or resets the connection; a reset ends the text too. */
    private static String readUntilClosed(InputStream in) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                received.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // Reset instead of closed: what arrived before still counts.
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Opens an event stream, reads until the first event arrived, and drops the socket. */
    private static void abortStreamAfterFirstEvent(LoopbackClient client) {
        try (Socket socket = client.connect()) {
            socket.getOutputStream().write(("GET /sse HTTP/1.1\r\nHost: s\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (seen.indexOf("data: ") < 0) {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new IOException("the stream ended before its first event: " + seen);
                }
                seen.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
