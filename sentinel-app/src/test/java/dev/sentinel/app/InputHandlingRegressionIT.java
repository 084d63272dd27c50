package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Regressions of input-handling bugs, one test each, named for the bug. */
class InputHandlingRegressionIT {

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("inputbugs", Map.of("MAX_REQUEST_BODY_MB", "1"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void forgetRequests() {
        sentinel.downstream().clear();
    }

    @Test
    void aChunkedBodyOverTheLimitGets413JsonNotA500() {
        // A chunked body crossing MAX_REQUEST_BODY_MB was answered 500 with a stack trace;
        // it is a client error like a Content-Length over the limit: 413 in JSON.
        StringBuilder body = new StringBuilder();
        String chunk = "a".repeat(64 * 1024);
        for (int i = 0; i < 20; i++) {
            body.append("10000\r\n").append(chunk).append("\r\n");
        }
        body.append("0\r\n\r\n");

        Response response = sentinel.from("127.0.0.2").exchange(("POST /v1/embeddings "
                + "HTTP/1.1\r\nHost: s\r\nAuthorization: Bearer " + Keys.fresh() + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"request_too_large\"");
        assertThat(LogCapture.text()).doesNotContain("Internal server error");
    }

    @Test
    void aContentLengthOverTheLimitStillGets413() {
        Response response = sentinel.from("127.0.0.2").exchange(("POST /v1/embeddings "
                + "HTTP/1.1\r\nHost: s\r\nContent-Length: " + (1024 * 1024 + 1) + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("\"type\":\"sentinel_error\"");
    }

    @Test
    void aMalformedChunkSizeGets400InsteadOfHanging() throws Exception {
        // A chunk size that is no number left the request without an answer until the
        // client gave up, and logged a 500 with a stack trace.
        for (String framing : new String[] {"zz\r\nabc\r\n0\r\n\r\n", "-3\r\nabc\r\n0\r\n\r\n",
            "3\r\nabc\r\n0\r\nX-T: \0\r\n\r\n", "3\r\nabc\r\n0\r\ngarbage\r\n\r\n"}) {
            String answer = rawExchange("POST /v1/embeddings HTTP/1.1\r\nHost: s\r\n"
                    + "Authorization: Bearer " + Keys.fresh() + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + framing, false);

            assertThat(answer).as(framing).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("\"code\":\"invalid_request\"");
        }
        assertThat(LogCapture.text()).doesNotContain("Internal server error")
                .doesNotContain("ClientBodyBroken");
    }

    @Test
    void anAbortedChunkedUploadIsClosedOnWithOneLogLineAndNoStackTrace() throws Exception {
        // An upload that stopped halfway logged a 500 and its stack trace.
        String before = LogCapture.text();
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked"
                    + "\r\n\r\n9\r\nabc").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(200);
        }
        Thread.sleep(Duration.ofMillis(500));

        String logged = LogCapture.text().substring(before.length());
        assertThat(logged).contains("client body broke off");
        assertThat(logged).doesNotContain("Internal server error").doesNotContain("\tat ");
        assertThat(sentinel.downstream().received()).noneMatch(r -> r.bodyLength() == 9);
    }

    @Test
    void anHttp10RequestOnThePublicPortIsAnsweredNotDropped() throws Exception {
        // The public port has its own connection selector, and Helidon dropped a request
        // line ending in HTTP/1.0 without a word; the management port answered 505.
        String answer = rawExchange("GET /v1/models HTTP/1.0\r\nHost: s\r\nAuthorization: "
                + "Bearer " + Keys.fresh() + "\r\n\r\n", true);

        assertThat(answer).startsWith("HTTP/1.1 505");
        assertThat(answer).contains("\"code\":\"http_version_not_supported\"");
        assertThat(LogCapture.text()).doesNotContain("status=505");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aBareLfRequestOnThePublicPortIsAnsweredNotDropped() throws Exception {
        String answer = rawExchange("GET /v1/models HTTP/1.1\nHost: s\nAuthorization: Bearer "
                + Keys.fresh() + "\n\n", true);

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("\"type\":\"sentinel_error\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aBannedKeyIsToldItIsBannedNotThatItIsBoundElsewhere() {
        // A banned key used from its own network was told it was bound to another network.
        String key = Keys.fresh();
        sentinel.insertBinding(key, "127.0.0.2/32");
        sentinel.execute("UPDATE binding SET status = 'banned' WHERE token_hash = '"
                + sentinel.tokenHash(key).hex() + "'");

        Response english = sentinel.from("127.0.0.2").get("/v1/models",
                "Authorization: Bearer " + key);
        Response chinese = sentinel.from("127.0.0.2").get("/v1/models",
                "Authorization: Bearer " + key, "Accept-Language: zh-CN");

        assertThat(english.status()).isEqualTo(403);
        assertThat(english.body()).contains("\"code\":\"access_denied\"").contains("banned")
                .doesNotContain("another network");
        assertThat(chinese.body()).contains("\"code\":\"access_denied\"").contains("封禁");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aKeyBoundElsewhereIsStillToldSo() {
        String key = Keys.fresh();
        sentinel.insertBinding(key, "10.9.9.9/32");

        Response response = sentinel.from("127.0.0.2").get("/v1/models",
                "Authorization: Bearer " + key);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).contains("bound to another network");
    }

    @Test
    void anAuthorityFormTargetGets400NotA500() throws Exception {
        // CONNECT host:port reached Helidon's path matchers, which failed on a target that
        // is not a path with an internal error.
        String answer = rawExchange("CONNECT evil.example:443 HTTP/1.1\r\nHost: s\r\n"
                + "Authorization: Bearer " + Keys.fresh() + "\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("\"code\":\"invalid_request\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aHeaderWithoutANameIsRefusedNotForwarded() {
        // Helidon accepted ": value" and Sentinel passed it on as a line New API cannot read.
        Response response = sentinel.from("127.0.0.2").get("/v1/models", ": value",
                "Authorization: Bearer " + Keys.fresh());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"invalid_request\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    /** Sends text and reads until the server closes or 5 s pass; returns what came back. */
    private static String rawExchange(String request, boolean closeAfter) throws Exception {
        try (Socket socket = sentinel.from("127.0.0.2").connect()) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            try {
                while ((read = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, read);
                    String text = answer.toString(StandardCharsets.ISO_8859_1);
                    if (!closeAfter && text.contains("\r\n\r\n") && text.endsWith("}}")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                return "no close within 5 s after: " + answer.toString(
                        StandardCharsets.ISO_8859_1);
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
