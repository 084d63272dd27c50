package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A network that creates bindings past the limit is refused new keys, not its own. */
class BindRateLimitIT {

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("ratelimit", Map.of("BIND_RATE_PER_IP", "3"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void newKeysPastTheLimitAreRefusedWhileBoundKeysKeepWorking() {
        String[] bound = {Keys.fresh(), Keys.fresh(), Keys.fresh()};
        for (String key : bound) {
            assertThat(sentinel.from("127.0.0.5").get("/v1/models",
                    "Authorization: Bearer " + key).status()).isEqualTo(200);
        }

        Response refused = sentinel.from("127.0.0.5").get("/v1/models",
                "Authorization: Bearer " + Keys.fresh());

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("\"code\":\"bind_rate_limited\"");
        assertThat(Integer.parseInt(refused.header("retry-after"))).isBetween(1, 60);
        for (String key : bound) {
            assertThat(sentinel.from("127.0.0.5").get("/v1/models",
                    "Authorization: Bearer " + key).status()).isEqualTo(200);
        }
        assertThat(sentinel.from("127.0.0.6").get("/v1/models",
                "Authorization: Bearer " + Keys.fresh()).status())
                .as("another network has its own allowance").isEqualTo(200);
    }
}
