package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.RawDownstream;
import dev.sentinel.app.support.SentinelUnderTest;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request targets reach New API byte for byte, including the query characters browsers send
 * unencoded, in front of a downstream as lenient as New API's own server.
 */
class RequestTargetIT {

    private static RawDownstream downstream;
    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() throws IOException {
        downstream = RawDownstream.start();
        sentinel = SentinelUnderTest.start("targets", Map.of("DOWNSTREAM_URL",
                downstream.url()));
    }

    @AfterAll
    static void stop() throws IOException {
        sentinel.close();
        downstream.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/status?ids[]=1&f={a}|b", "/api/log?q=a^b`c",
        "/api/x?p=%E4%B8%AD&q=\"quoted\"", "/v1/models?a=<b>"})
    void queryCharactersBrowsersSendUnencodedPass(String target) {
        // Helidon's prologue check refused [ ] { } |, breaking New API's own web console.
        Response response = sentinel.from("127.0.0.2").get(target,
                "Authorization: Bearer " + Keys.fresh());

        assertThat(response.status()).isEqualTo(200);
        assertThat(downstream.requestLines()).contains("GET " + target + " HTTP/1.1");
    }

    @Test
    void aTargetWithAControlCharacterIsRefused() {
        Response tab = sentinel.from("127.0.0.2").get("/v1/models?a=\tb");

        assertThat(tab.status()).isEqualTo(400);
    }
}
