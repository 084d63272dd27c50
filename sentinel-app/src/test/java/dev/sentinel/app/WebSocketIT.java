package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackWebSocket;
import dev.sentinel.app.support.LoopbackWebSocket.Answer;
import dev.sentinel.app.support.LoopbackWebSocket.Received;
import dev.sentinel.app.support.Poll;
import dev.sentinel.app.support.RealtimeStandIn;
import dev.sentinel.app.support.RealtimeStandIn.Closed;
import dev.sentinel.app.support.RealtimeStandIn.Upgrade;
import dev.sentinel.app.support.Scrape;
import dev.sentinel.app.support.SentinelUnderTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSocket handshakes are checked like any request and refused before an upgrade; allowed
 * ones are bridged to a real WebSocket server, frame by frame, both ways, with closes,
 * pings, sub-protocol and back-pressure.
 */
class WebSocketIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RealtimeStandIn realtime;
    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        realtime = RealtimeStandIn.start();
        sentinel = SentinelUnderTest.start("websocket", Map.of(
                "DOWNSTREAM_URL", realtime.url(),
                "BIND_RATE_PER_IP", "0"));
    }

    @AfterAll
    static void stop() {
        try {
            sentinel.close();
        } finally {
            realtime.close();
        }
    }

    @BeforeEach
    void forget() {
        realtime.clear();
    }

    @Test
    void aKeyInTheSubProtocolIsBridgedAndExchangesAThousandTextAndBinaryMessagesIntact() {
        String key = Keys.fresh();
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"),
                "/v1/realtime?model=gpt-4o-realtime-preview&x=%2F%20",
                realtimeProtocols(key)[0], "X-Forwarded-For: 203.0.113.9",
                "Forwarded: for=203.0.113.9", "User-Agent: realtime-test/1.0");

        assertThat(answer.status()).as(answer.head()).isEqualTo(101);
        assertThat(answer.header("sec-websocket-protocol")).isEqualTo("realtime");
        assertThat(answer.header("x-sentinel-request-id")).isNotBlank();
        Random random = new Random(7);
        try (LoopbackWebSocket socket = answer.socket()) {
            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) {
                    String text = "message " + i + " ünïcødé ✓ 🚀 " + "z".repeat(
                            random.nextInt(4000));
                    socket.sendText(text);
                    Received echo = socket.next();
                    assertThat(echo.opcode()).isEqualTo(LoopbackWebSocket.TEXT);
                    assertThat(echo.text()).isEqualTo(text);
                } else {
                    byte[] data = new byte[random.nextInt(70_000)];
                    random.nextBytes(data);
                    socket.sendBinary(data);
                    Received echo = socket.next();
                    assertThat(echo.opcode()).isEqualTo(LoopbackWebSocket.BINARY);
                    assertThat(echo.payload()).isEqualTo(data);
                }
            }
        }

        Upgrade upgrade = realtime.upgrades().get(0);
        assertThat(upgrade.rawPath()).isEqualTo("/v1/realtime");
        assertThat(upgrade.rawQuery()).isEqualTo("model=gpt-4o-realtime-preview&x=%2F%20");
        assertThat(upgrade.header("sec-websocket-protocol")).containsExactly(
                "realtime, openai-insecure-api-key." + key + ", openai-beta.realtime-v1");
        assertThat(upgrade.header("x-real-ip")).containsExactly("127.0.0.2");
        assertThat(upgrade.header("x-forwarded-for")).containsExactly("127.0.0.2");
        assertThat(upgrade.header("forwarded")).isEmpty();
        assertThat(upgrade.header("user-agent")).containsExactly("realtime-test/1.0");
        assertThat(upgrade.header("connection")).anySatisfy(value ->
                assertThat(value.toLowerCase()).contains("upgrade"));
        assertThat(sentinel.rulesByHint(hint(key))).containsExactly("127.0.0.2/32");
    }

    @Test
    void theSameKeyFromAnotherNetworkIsRefusedWith403JsonBeforeAnyUpgrade() throws Exception {
        String key = Keys.fresh();
        Answer bound = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                realtimeProtocols(key));
        assertThat(bound.status()).isEqualTo(101);
        bound.socket().close(1000, "done");
        realtime.clear();

        Answer refused = LoopbackWebSocket.open(sentinel.from("127.0.0.3"), "/v1/realtime",
                realtimeProtocols(key)[0], "Origin: https://chat.example");

        assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(refused.head()).doesNotContain("101").doesNotContainIgnoringCase(
                "upgrade:").doesNotContainIgnoringCase("sec-websocket-accept");
        assertThat(refused.header("content-type")).startsWith("application/json");
        assertThat(refused.header("x-sentinel-request-id")).isNotBlank();
        assertThat(refused.header("access-control-allow-origin"))
                .isEqualTo("https://chat.example");
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("access_denied");
        assertThat(error.get("type").asText()).isEqualTo("sentinel_error");
        assertThat(refused.socket()).isNull();
        assertThat(realtime.upgrades()).isEmpty();
    }

    @Test
    void bridgedConnectionsAndTheirBytesAreCountedLikeHttpRequests() {
        String key = Keys.fresh();
        Scrape before = sentinel.metrics(sentinel.sentinel());

        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                realtimeProtocols(key));
        try (LoopbackWebSocket socket = answer.socket()) {
            socket.sendText("x".repeat(1000));
            assertThat(socket.next().text()).hasSize(1000);
        }
        LoopbackWebSocket.open(sentinel.from("127.0.0.3"), "/v1/realtime",
                realtimeProtocols(key));

        assertThat(Poll.until(Duration.ofSeconds(5), () -> {
            Scrape after = sentinel.metrics(sentinel.sentinel());
            return rise(before, after, "sentinel_websocket_connections_total",
                    "event=opened") == 1
                    // Earlier tests' connections may still be closing: at least ours.
                    && rise(before, after, "sentinel_websocket_connections_total",
                            "event=closed") >= 1
                    && rise(before, after, "sentinel_websocket_bytes_total",
                            "direction=client-to-downstream") >= 1000
                    && rise(before, after, "sentinel_websocket_bytes_total",
                            "direction=downstream-to-client") >= 1000
                    && rise(before, after, "sentinel_requests_total",
                            "outcome=intercepted") == 1;
        })).as(sentinel.metrics(sentinel.sentinel()).text()).isTrue();
    }

    private static double rise(Scrape before, Scrape after, String name, String label) {
        return after.value(name, label) - before.value(name, label);
    }

    @Test
    void aKeyInAuthorizationIsCheckedTheSameWay() {
        String key = Keys.fresh();
        assertThat(LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                "Authorization: Bearer " + key).status()).isEqualTo(101);

        Answer refused = LoopbackWebSocket.open(sentinel.from("127.0.0.3"), "/v1/realtime",
                "Authorization: Bearer " + key);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("access_denied");
    }

    @Test
    void aConnectionHeaderNamingTheKeyHeaderIsRefusedBeforeAnyUpgrade() {
        Answer refused = LoopbackWebSocket.exchange(sentinel.from("127.0.0.2"), (
                "GET /v1/realtime HTTP/1.1\r\nHost: sentinel.test\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade, Sec-WebSocket-Protocol\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: realtime, openai-insecure-api-key." + Keys.fresh()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("forbidden_connection_header");
        assertThat(realtime.upgrades()).isEmpty();
    }

    @Test
    void aKeyNewApiRefusesGetsNewApisAnswerAndLeavesNoBinding() {
        String key = Keys.fresh();
        realtime.reject(key);

        Answer refused = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                realtimeProtocols(key));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("new_api_error").contains("无效的令牌");
        assertThat(refused.header("x-sentinel-request-id")).isNotBlank();
        assertThat(sentinel.rulesByHint(hint(key))).isEmpty();
    }

    @Test
    void aHandshakeNewApiAnswers200WithoutUpgradingLeavesNoBinding() {
        String key = Keys.fresh();
        realtime.answerWithoutUpgrade(key);

        Answer notUpgraded = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                realtimeProtocols(key));

        assertThat(notUpgraded.status()).isEqualTo(200);
        assertThat(notUpgraded.body()).contains("\"object\":\"list\"");
        assertThat(sentinel.rulesByHint(hint(key))).isEmpty();

        // Not bound, so the same key is still free for the network that uses it properly.
        Answer elsewhere = LoopbackWebSocket.open(sentinel.from("127.0.0.3"), "/v1/realtime",
                realtimeProtocols(key));
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(sentinel.rulesByHint(hint(key))).isEmpty();
    }

    @Test
    void aHandshakeWithoutUserAgentReachesNewApiWithTheJdkClientsAsTheLimitsSay() {
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                realtimeProtocols(Keys.fresh()));

        assertThat(answer.status()).as(answer.head()).isEqualTo(101);
        answer.socket().close();
        // README Limits: the JDK client that dials New API adds its own and cannot be told
        // not to; a plain request gets Helidon's instead.
        assertThat(realtime.upgrades().get(0).header("user-agent"))
                .singleElement().asString().startsWith("Java-http-client/");
    }

    @Test
    void aCrossOriginBrowserHandshakeIsBridgedWithItsOrigin() {
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                realtimeProtocols(Keys.fresh())[0], "Origin: " + RealtimeStandIn.ALLOWED_ORIGIN);

        assertThat(answer.status()).as(answer.head()).isEqualTo(101);
        answer.socket().close();
        assertThat(realtime.upgrades().get(0).header("origin"))
                .containsExactly(RealtimeStandIn.ALLOWED_ORIGIN);
    }

    @Test
    void theSubProtocolNewApiChoseIsEchoedAndNoneWhenItChoseNone() {
        Answer chosen = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                realtimeProtocols(Keys.fresh()));
        Answer none = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/v1/realtime",
                "Sec-WebSocket-Protocol: openai-insecure-api-key." + Keys.fresh());

        assertThat(chosen.header("sec-websocket-protocol")).isEqualTo("realtime");
        assertThat(none.status()).isEqualTo(101);
        assertThat(none.header("sec-websocket-protocol")).isNull();
        chosen.socket().close();
        none.socket().close();
    }

    @Test
    void aCloseFromNewApiReachesTheClientWithTheSameCodeAndReason() throws Exception {
        for (int code : new int[] {4001, 1000, 1001, 1008, 1011}) {
            LoopbackWebSocket socket = bridged("close-" + code);
            socket.sendText("close:" + code + ":session expired " + code);

            Received close = socket.next();

            assertThat(close.opcode()).isEqualTo(LoopbackWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(code);
            assertThat(close.closeReason()).isEqualTo("session expired " + code);
            socket.close(code, "");
            assertThat(socket.awaitEndOfStream(Duration.ofSeconds(10))).isTrue();
            socket.close();
        }
    }

    @Test
    void aCloseFromTheClientReachesNewApiWithTheSameCodeAndIsAnswered() throws Exception {
        LoopbackWebSocket socket = bridged("client-close");

        socket.close(4000, "bye now");

        Closed closed = realtime.awaitClose("t=client-close", Duration.ofSeconds(10));
        assertThat(closed).isNotNull();
        assertThat(closed.code()).isEqualTo(4000);
        assertThat(closed.reason()).isEqualTo("bye now");
        Received answer = socket.next();
        assertThat(answer.opcode()).isEqualTo(LoopbackWebSocket.CLOSE);
        assertThat(answer.closeCode()).isEqualTo(4000);
        assertThat(socket.awaitEndOfStream(Duration.ofSeconds(10))).isTrue();
        socket.close();
    }

    @Test
    void aClientThatDisconnectsClosesNewApisConnectionWithinOneSecond() throws Exception {
        LoopbackWebSocket socket = bridged("disconnect");
        socket.sendText("hello");
        assertThat(socket.next().text()).isEqualTo("hello");

        long dropped = System.nanoTime();
        socket.close();

        Closed closed = realtime.awaitClose("t=disconnect", Duration.ofSeconds(10));
        assertThat(closed).isNotNull();
        Duration took = Duration.ofNanos(closed.nanoTime() - dropped);
        System.out.printf("client dropped -> New API saw close %d after %d ms%n",
                closed.code(), took.toMillis());
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void pingsAndFragmentedMessagesCrossInOrder() {
        LoopbackWebSocket socket = bridged("fragments");

        socket.ping("are you there".getBytes(StandardCharsets.UTF_8));
        Received pong = socket.next();
        assertThat(pong.opcode()).isEqualTo(LoopbackWebSocket.PONG);
        assertThat(pong.text()).isEqualTo("are you there");

        socket.sendFrame(LoopbackWebSocket.TEXT, false, "first, ".getBytes(
                StandardCharsets.UTF_8));
        socket.sendFrame(LoopbackWebSocket.CONTINUATION, false, "second, ".getBytes(
                StandardCharsets.UTF_8));
        socket.ping(new byte[] {1, 2, 3});
        socket.sendFrame(LoopbackWebSocket.CONTINUATION, true, "third".getBytes(
                StandardCharsets.UTF_8));
        socket.sendFrame(LoopbackWebSocket.BINARY, false, new byte[] {9, 8});
        socket.sendFrame(LoopbackWebSocket.CONTINUATION, true, new byte[] {7});

        List<Received> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            received.add(socket.next());
        }
        assertThat(received).extracting(Received::opcode).containsExactly(
                LoopbackWebSocket.PONG, LoopbackWebSocket.TEXT, LoopbackWebSocket.BINARY);
        assertThat(received.get(0).payload()).containsExactly(1, 2, 3);
        assertThat(received.get(1).text()).isEqualTo("first, second, third");
        assertThat(received.get(2).payload()).containsExactly(9, 8, 7);
        socket.close();
    }

    @Test
    void aClientThatDoesNotReadIsClosedAndNewApiIsToldWhy() throws Exception {
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/flood?t=flood",
                realtimeProtocols(Keys.fresh()));
        assertThat(answer.status()).isEqualTo(101);
        LoopbackWebSocket socket = answer.socket();
        // The client reads nothing; New API sends 64 KiB messages as fast as it can.

        Closed closed = realtime.awaitClose("t=flood", Duration.ofSeconds(60));

        assertThat(closed).isNotNull();
        assertThat(closed.path()).isEqualTo("/flood");
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).isEqualTo("Sentinel: the client is not reading fast enough");
        assertThat(socket.awaitEndOfStream(Duration.ofSeconds(30))).isTrue();
        socket.close();
    }

    @Test
    void aClientThatClosesWhileNotReadingIsReleasedAndNewApiClosed() throws Exception {
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"),
                "/flood?t=close-unread", realtimeProtocols(Keys.fresh()));
        assertThat(answer.status()).isEqualTo(101);
        LoopbackWebSocket socket = answer.socket();

        // Sentinel's writes to this client block; its close must not wait behind them.
        socket.close(4002, "leaving");

        assertThat(realtime.awaitClose("t=close-unread", Duration.ofSeconds(30))).isNotNull();
        assertThat(socket.awaitEndOfStream(Duration.ofSeconds(30))).isTrue();
        socket.close();
    }

    @Test
    void aClientSendingFasterThanNewApiReadsIsClosedWithTryAgainLater() throws Exception {
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/stall?t=stall",
                realtimeProtocols(Keys.fresh()));
        assertThat(answer.status()).isEqualTo(101);
        LoopbackWebSocket socket = answer.socket();
        byte[] chunk = new byte[64 * 1024];
        // New API takes one message, then reads nothing; the client keeps sending.
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 4096; i++) {
                    socket.sendBinary(chunk);
                }
            } catch (RuntimeException e) {
                // Sentinel closed the connection under the writer
            }
        });

        Received close = socket.next();

        assertThat(close.opcode()).isEqualTo(LoopbackWebSocket.CLOSE);
        assertThat(close.closeCode()).isEqualTo(1013);
        assertThat(close.closeReason()).isEqualTo("Sentinel: New API is not reading fast enough");
        socket.close();
        writer.join(Duration.ofSeconds(30));
        assertThat(LogCapture.text()).contains("websocket queue full")
                .contains("direction=client_to_downstream");
    }

    @Test
    void anUpgradeThatIsNotUpgradedIsCheckedAndProxiedAsPlainHttp() {
        String key = Keys.fresh();
        // LoopbackClient adds Connection: close, so the first is no handshake at all; the
        // second is one Helidon does not recognise (it matches "websocket" exactly).
        for (String upgrade : List.of("Upgrade: websocket", "Upgrade: WebSocket")) {
            String[] headers = {upgrade, "Authorization: Bearer " + key};

            LoopbackClient.Response allowed = sentinel.from("127.0.0.2").get("/v1/realtime",
                    headers);
            LoopbackClient.Response refused = sentinel.from("127.0.0.3").get("/v1/realtime",
                    headers);

            assertThat(allowed.status()).as(upgrade).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("plain http");
            assertThat(refused.status()).as(upgrade).isEqualTo(403);
        }
        Answer capitalised = LoopbackWebSocket.exchange(sentinel.from("127.0.0.2"), (
                "GET /v1/realtime HTTP/1.1\r\nHost: sentinel.test\r\nUpgrade: WebSocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(capitalised.status()).isEqualTo(200);
        assertThat(realtime.upgrades()).isEmpty();
    }

    @Test
    void whenNewApiCannotBeReachedTheHandshakeGets502AndTheFirstUseIsUndone() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (SentinelUnderTest unreachable = SentinelUnderTest.start("websocket502", Map.of(
                "DOWNSTREAM_URL", "http://127.0.0.1:" + closedPort))) {
            String key = Keys.fresh();

            Answer answer = LoopbackWebSocket.open(unreachable.from("127.0.0.2"),
                    "/v1/realtime", realtimeProtocols(key));

            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.body()).contains("downstream_unreachable");
            assertThat(unreachable.rulesByHint(hint(key))).isEmpty();
        }
    }

    @Test
    void eachBridgedConnectionIsLoggedWithTheBytesThatCrossed() throws Exception {
        LoopbackWebSocket socket = bridged("counted");
        socket.sendText("12345");
        socket.next();
        socket.sendBinary(new byte[300]);
        socket.next();
        socket.close(1000, "done");
        socket.next();
        socket.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!LogCapture.text().contains("bytesFromClient=305 bytesToClient=305")
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(LogCapture.text()).contains("closedBy=client code=1000 "
                + "bytesFromClient=305 bytesToClient=305");
    }

    @Test
    void aMalformedHandshakeGetsAJsonErrorAndNothingReachesNewApi() {
        Answer noKey = LoopbackWebSocket.exchange(sentinel.from("127.0.0.2"), (
                "GET /v1/realtime HTTP/1.1\r\nHost: sentinel.test\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Answer oldVersion = LoopbackWebSocket.exchange(sentinel.from("127.0.0.2"), (
                "GET /v1/realtime HTTP/1.1\r\nHost: sentinel.test\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 8\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.body()).contains("sentinel_error");
        assertThat(oldVersion.status()).isEqualTo(426);
        assertThat(oldVersion.header("sec-websocket-version")).isEqualTo("13");
        assertThat(oldVersion.body()).contains("sentinel_error");
        assertThat(realtime.upgrades()).isEmpty();
    }

    @Test
    void aHandshakeOnSentinelsOwnPathIsAnsweredThereAndNotBridged() {
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"), "/health",
                realtimeProtocols(Keys.fresh()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("ok");
        assertThat(realtime.upgrades()).isEmpty();
    }

    @Test
    void fiveHundredConcurrentBridgedConnectionsEachPassAHundredMessagesWithoutLoss()
            throws Exception {
        int connections = 500;
        int messages = 100;
        // Fifty clients, each with its key bound from its own address, ten connections each.
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            keys.add(Keys.fresh());
            exchangeHundred(sentinel.from(source(k)), keys.get(k), -1 - k, 1);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> echoed = new ArrayList<>();
        long started;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < connections; c++) {
                int connection = c;
                echoed.add(pool.submit(() -> {
                    go.await();
                    return exchangeHundred(sentinel.from(source(connection % 50)),
                            keys.get(connection % 50), connection, messages);
                }));
            }
            started = System.nanoTime();
            go.countDown();
        }
        int total = 0;
        for (Future<Integer> count : echoed) {
            total += count.get();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("%d connections x %d messages: %d of %d echoed intact in %d ms%n",
                connections, messages, total, connections * messages, took.toMillis());
        assertThat(total).isEqualTo(connections * messages);
    }

    private static String source(int client) {
        return "127.0.0." + (10 + client);
    }

    private static int exchangeHundred(LoopbackClient client, String key, int connection,
            int messages) {
        Answer answer = LoopbackWebSocket.open(client, "/v1/realtime?c=" + connection,
                realtimeProtocols(key));
        assertThat(answer.status()).as(answer.head()).isEqualTo(101);
        int intact = 0;
        try (LoopbackWebSocket socket = answer.socket()) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                byte[] data = ("c" + connection + " m" + i + " " + "p".repeat(i))
                        .getBytes(StandardCharsets.UTF_8);
                sent.add(data);
                if (i % 2 == 0) {
                    socket.sendText(new String(data, StandardCharsets.UTF_8));
                } else {
                    socket.sendBinary(data);
                }
            }
            for (int i = 0; i < messages; i++) {
                Received echo = socket.next();
                if (Arrays.equals(echo.payload(), sent.get(i))) {
                    intact++;
                }
            }
            socket.close(1000, "done");
            socket.next();
        }
        return intact;
    }

    /** Opens a bridged connection whose query, {@code t=<marker>}, names it downstream. */
    private static LoopbackWebSocket bridged(String marker) {
        Answer answer = LoopbackWebSocket.open(sentinel.from("127.0.0.2"),
                "/v1/realtime?t=" + marker, realtimeProtocols(Keys.fresh()));
        assertThat(answer.status()).as(answer.head()).isEqualTo(101);
        return answer.socket();
    }

    private static String[] realtimeProtocols(String key) {
        return new String[] {"Sec-WebSocket-Protocol: realtime, openai-insecure-api-key." + key
                + ", openai-beta.realtime-v1"};
    }

    static String hint(String key) {
        String body = Keys.body(key);
        return "sk-" + body.substring(0, 2) + "…" + body.substring(body.length() - 4);
    }
}
