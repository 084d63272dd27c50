package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.SecretScan;
import dev.sentinel.app.support.SentinelUnderTest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A key written into the request path (a client whose base URL carries its key) was stored
 * in the intercept log and written to the log line of the intercept, raw. An intercepted
 * path keeps its shape, but every key in it is replaced by its hint.
 */
class KeyInTheRequestPathIT {

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("key_in_path", Map.of());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void anInterceptedPathHoldsNoRawKey() {
        String key = Keys.fresh();
        String other = Keys.fresh();
        assertThat(sentinel.from("127.0.60.1").get("/v1/models", "Authorization: Bearer "
                + key).status()).isEqualTo(200);

        for (String path : List.of("/v1/" + key + "/models", "/v1/" + Keys.body(key)
                + "/models", "/v1/" + key.toUpperCase(Locale.ROOT) + "/x", "/v1/models/" + other,
                "/v1/x%2F" + key)) {
            assertThat(sentinel.from("127.0.60.2").get(path, "Authorization: Bearer " + key)
                    .status()).as(path).isEqualTo(403);
        }

        assertThat(SecretScan.findLeaks(List.of(key, other), sentinel.schema(),
                sentinel.redisPrefix(), LogCapture.text())).isEmpty();
        assertThat(sentinel.queryInt("SELECT count(*) FROM " + sentinel.schema()
                + ".intercept_log WHERE path LIKE '/v1/sk-%…%/models'")).isEqualTo(2);
    }
}
