package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.NewApiStandIn;
import dev.sentinel.app.support.NewApiStandIn.Received;
import dev.sentinel.app.support.SentinelUnderTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What crosses Sentinel and what does not: the request target byte for byte, bodies in
 * both directions, statuses without bodies, hop-by-hop headers, and a trusted proxy's
 * address header under the strict rules.
 */
class ProxyFidelityIT {

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("fidelity",
                Map.of("TRUSTED_PROXY_IPS", "127.0.0.9/32", "MAX_REQUEST_BODY_MB", "1"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void forgetRequests() {
        sentinel.downstream().clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/v1%2Fchat/completions", "/v1/models?a=%2F+b&c=%20&c=&d", "/v1/files/%E4%B8%AD",
        "/v1/models?q=a%26b%3Dc", "/v1/x;y=1/z", "/v1/models/"
    })
    void thePathAndQueryReachNewApiExactlyAsSent(String target) {
        Response response = sentinel.from("127.0.0.2").get(target);

        assertThat(response.status()).isEqualTo(200);
        assertThat(sentinel.downstream().received()).extracting(Received::uri)
                .containsExactly(target);
    }

    @Test
    void aRequestBodyIsForwardedWhole() {
        String json = "{\"input\":\"" + "x".repeat(300_000) + "\"}";

        Response response = sentinel.from("127.0.0.2").post("/v1/embeddings", json,
                "Authorization: Bearer " + Keys.fresh());

        assertThat(response.status()).isEqualTo(200);
        assertThat(sentinel.downstream().received().get(0).bodyLength())
                .isEqualTo(json.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"100", "2048", "2049", "3000000", "3000000/chunked"})
    void anAnswerReachesTheClientByteForByte(String shape) {
        int length = Integer.parseInt(shape.split("/")[0]);

        Response response = sentinel.from("127.0.0.2").get("/text/" + shape,
                "Authorization: Bearer " + Keys.fresh());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(length).isEqualTo(NewApiStandIn.text(length));
    }

    @Test
    void aChunkedUploadIsForwardedWhole() throws Exception {
        Response response = sentinel.from("127.0.0.2").exchange((
                "POST /v1/audio/transcriptions HTTP/1.1\r\nHost: s\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(sentinel.downstream().received().get(0).bodyLength()).isEqualTo(11);
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedWithJson() {
        // The length alone decides; the body is never read, so none is sent.
        Response response = sentinel.from("127.0.0.2").exchange(("POST /v1/embeddings "
                + "HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (1024 * 1024 + 1) + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("\"type\":\"sentinel_error\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void headPassesWithoutABody() {
        Response response = sentinel.from("127.0.0.2").exchange(LoopbackClient.request("HEAD",
                "/v1/models", new String[0], null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(sentinel.downstream().received()).extracting(Received::method)
                .containsExactly("HEAD");
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void statusesWithoutABodyPassWithoutOne(int status) {
        Response response = sentinel.from("127.0.0.2").get("/status/" + status);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("etag")).isEqualTo("\"v1\"");
    }

    @Test
    void redirectsArePassedBackNotFollowed() {
        Response response = sentinel.from("127.0.0.2").get("/redirect");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("location")).isEqualTo("/v1/models");
        assertThat(sentinel.downstream().received()).hasSize(1);
    }

    @Test
    void hopByHopHeadersAndTheHeadersConnectionNamesAreNotForwarded() {
        sentinel.from("127.0.0.2").get("/v1/models", "Connection: close, X-Debug-Token",
                "X-Debug-Token: 1", "Keep-Alive: timeout=5", "TE: trailers",
                "Proxy-Authorization: Basic eA==", "X-Kept: yes");

        Received received = sentinel.downstream().received().get(0);
        assertThat(received.headers()).doesNotContainKeys("x-debug-token", "keep-alive",
                "te", "proxy-authorization");
        assertThat(received.header("x-kept")).containsExactly("yes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "X-Real-IP", "x-forwarded-for", "x-api-key",
        "Sec-WebSocket-Protocol", "Content-Length", "X_Real_IP"})
    void aConnectionHeaderNamingAHeaderTheCheckReadsIsRefused(String named) {
        Response response = sentinel.from("127.0.0.2").get("/v1/models",
                "Connection: " + named, "Authorization: Bearer " + Keys.fresh());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"forbidden_connection_header\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aTrustedProxysSingleRealIpIsTheClient() {
        String key = Keys.fresh();

        Response response = sentinel.from("127.0.0.9").get("/v1/models",
                "Authorization: Bearer " + key, "X-Real-IP: 203.0.113.7");

        assertThat(response.status()).isEqualTo(200);
        Received received = sentinel.downstream().received().get(0);
        assertThat(received.header("x-real-ip")).containsExactly("203.0.113.7");
        assertThat(received.header("x-forwarded-for")).containsExactly("203.0.113.7");
        assertThat(sentinel.from("127.0.0.9").get("/v1/models", "Authorization: Bearer " + key,
                "X-Real-IP: 203.0.113.8").status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X-Real-IP: 1.2.3.4, 5.6.7.8", "X-Real-IP: 1.2.3.4:80",
        "X-Real-IP: [::1]", "X-Real-IP: fe80::1%eth0", "X-Real-IP: 010.0.0.1",
        "X-Real-IP: new-api", "X-Real-IP: 1.2.3.4\r\nX-Real-IP: 1.2.3.4"})
    void aTrustedProxyWithoutOneStrictRealIpIsRefused(String header) {
        String[] headers = header.isEmpty()
                ? new String[] {"Authorization: Bearer " + Keys.fresh()}
                : new String[] {"Authorization: Bearer " + Keys.fresh(), header};

        Response response = sentinel.from("127.0.0.9").get("/v1/models", headers);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"invalid_client_ip\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"G@T /v1/models HTTP/1.1", "GET /a b HTTP/1.1",
        "GET /v1/%zz HTTP/1.1"})
    void aMalformedRequestLineGetsA400InJson(String requestLine) {
        // Helidon's parser threw on the method token and the framework answered 500.
        Response response = sentinel.from("127.0.0.2").exchange((requestLine
                + "\r\nHost: s\r\n\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"type\":\"sentinel_error\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aNonAsciiByteInThePathCannotSmuggleAQuery() {
        // Helidon read 0xFF as U+FFFD and its client wrote that back as '?', so New API saw
        // ?key=... that Sentinel never checked: a bound key passed from any address.
        String key = Keys.fresh();
        assertThat(sentinel.from("127.0.0.2").get("/v1/models?key=" + key).status())
                .isEqualTo(200);
        sentinel.downstream().clear();

        byte[] request = ("GET /v1/models\u00ffkey=" + key + " HTTP/1.1\r\nHost: s\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        Response response = sentinel.from("127.0.0.3").exchange(request);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"invalid_request\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void anAbsoluteFormTargetIsRefusedNotForwarded() {
        Response response = sentinel.from("127.0.0.2").get("http://evil.example/v1/models");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"invalid_request\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void bothContentLengthAndTransferEncodingAreRefusedNotForwarded() throws Exception {
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            LoopbackClient.write(socket, "POST /v1/x HTTP/1.1\r\nHost: s\r\n"
                    + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: s\r\n\r\n");
            String answer = new String(socket.getInputStream().readAllBytes(),
                    StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void anUnsupportedTransferCodingIsNotCalledAnInternalError() {
        // Helidon's 501 for "gzip, chunked" reached clients as internal_error.
        Response response = sentinel.from("127.0.0.2").exchange(("POST /v1/x HTTP/1.1\r\n"
                + "Host: s\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(501);
        assertThat(response.body()).contains("\"code\":\"not_implemented\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void anUnknownManagementPathIsNotFoundNotMalformed() {
        Response response = sentinel.management(sentinel.sentinel()).get("/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"not_found\"");
    }

    @Test
    void optionsPreflightsPassWithoutADecision() {
        Response response = sentinel.from("127.0.0.2").exchange(LoopbackClient.request(
                "OPTIONS", "/v1/chat/completions", new String[] {
                    "Origin: https://chat.example", "Access-Control-Request-Method: POST"},
                null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(sentinel.downstream().received()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void optionsWithABoundKeyFromAnotherNetworkIsStopped(boolean shapedAsPreflight) {
        // Every OPTIONS passed unchecked, so a bound key reached New API from anywhere.
        String key = Keys.fresh();
        assertThat(sentinel.from("127.0.0.1").get("/v1/models", "Authorization: Bearer " + key)
                .status()).isEqualTo(200);
        sentinel.downstream().clear();
        String[] headers = shapedAsPreflight
                ? new String[] {"Authorization: Bearer " + key, "Origin: https://chat.example",
                    "Access-Control-Request-Method: POST"}
                : new String[] {"Authorization: Bearer " + key};

        Response response = sentinel.from("127.0.0.2").exchange(LoopbackClient.request(
                "OPTIONS", "/v1/models", headers, null));

        assertThat(response.status()).isEqualTo(403);
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void anAbortedUploadDoesNotReachNewApiAsACompleteBody() throws Exception {
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: s\r\nContent-Length: 100000\r\n"
                    + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(new byte[40_000]);
            out.flush();
            Thread.sleep(200);
        }
        Thread.sleep(Duration.ofMillis(500));
        assertThat(sentinel.downstream().received()).noneMatch(r -> r.bodyLength() == 100_000);
    }

    @Test
    void theAdminNamespaceIsNeverProxied() {
        Response response = sentinel.from("127.0.0.2").get("/admin/anything");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"not_found\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void healthAnswersOnThePublicPort() {
        Response response = sentinel.from("127.0.0.2").get("/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    static String read(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
