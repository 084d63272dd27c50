package dev.sentinel.app;

import static dev.sentinel.app.RedisOutageUnderLoadIT.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.Scrape;
import dev.sentinel.app.support.SentinelUnderTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The management port: {@code /health} stays {@code {"status":"ok"}}, {@code /health/ready}
 * names each store's state (Redis absent without {@code REDIS_URL}) and the failsafe, and
 * {@code /metrics} counts requests by outcome exactly.
 */
class ReadinessAndMetricsIT {

    @Test
    void withoutRedisReadinessReportsItAbsentAndTheInstanceReady() {
        try (SentinelUnderTest sentinel = SentinelUnderTest.startWithoutRedis("ready",
                Map.of())) {
            Sentinel instance = sentinel.sentinel();

            Response ready = sentinel.readiness(instance);
            Response alive = sentinel.management(instance).get("/health");
            Scrape metrics = sentinel.metrics(instance);

            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.header("content-type")).startsWith("application/json");
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"stores\":{\"postgresql\":"
                    + "\"up\",\"redis\":\"absent\"},\"failsafe\":{\"mode\":\"closed\","
                    + "\"state\":\"standby\"}}");
            assertThat(alive.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(metrics.value("sentinel_store_up", "store=postgresql")).isEqualTo(1);
            assertThat(metrics.has("sentinel_store_up", "store=redis")).isFalse();
            // Before any request, every outcome is shown, at zero.
            for (String outcome : List.of("allowed", "bound", "passed_unbound", "intercepted",
                    "refused", "failsafe_open", "failsafe_closed")) {
                assertThat(metrics.has("sentinel_requests_total", "outcome=" + outcome))
                        .as(outcome).isTrue();
                assertThat(metrics.value("sentinel_requests_total", "outcome=" + outcome))
                        .as(outcome).isZero();
            }
        }
    }

    @Test
    void afterNAllowedMInterceptedAndKRefusedTheCountersRoseByExactlyThat() {
        try (SentinelUnderTest sentinel = SentinelUnderTest.start("metrics", Map.of())) {
            Sentinel instance = sentinel.sentinel();
            String key = Keys.fresh();
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(key)).status())
                    .isEqualTo(200);
            Scrape before = sentinel.metrics(instance);

            int allowed = 7;
            int intercepted = 4;
            for (int i = 0; i < allowed; i++) {
                assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(key)).status())
                        .isEqualTo(200);
            }
            for (int i = 0; i < intercepted; i++) {
                assertThat(sentinel.from("127.0.0.3").get("/v1/models", bearer(key)).status())
                        .isEqualTo(403);
            }
            assertThat(sentinel.from("127.0.0.2").get("/v1/models",
                    "Authorization: Bearer sk-abc$def").status()).isEqualTo(400);
            assertThat(sentinel.from("127.0.0.2").get("/v1/models",
                    "Authorization: Bearer sk-abc$deg").status()).isEqualTo(400);
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(Keys.fresh()),
                    "x-api-key: " + Keys.fresh()).status()).isEqualTo(400);
            int refused = 3;
            Scrape after = sentinel.metrics(instance);

            assertThat(rise(before, after, "sentinel_requests_total", "outcome=allowed"))
                    .isEqualTo(allowed);
            assertThat(rise(before, after, "sentinel_requests_total", "outcome=intercepted"))
                    .isEqualTo(intercepted);
            assertThat(rise(before, after, "sentinel_requests_total", "outcome=refused"))
                    .isEqualTo(refused);
            assertThat(rise(before, after, "sentinel_requests_total", "outcome=bound"))
                    .isZero();
            assertThat(rise(before, after, "sentinel_refusals_total", "code=access_denied"))
                    .isEqualTo(intercepted);
            assertThat(rise(before, after, "sentinel_refusals_total", "code=invalid_api_key"))
                    .isEqualTo(2);
            assertThat(rise(before, after, "sentinel_refusals_total",
                    "code=ambiguous_credentials")).isEqualTo(1);
            assertThat(rise(before, after, "sentinel_downstream_latency_seconds_count"))
                    .isEqualTo(allowed);
            double lookups = rise(before, after, "sentinel_cache_lookups_total", "result=hit")
                    + rise(before, after, "sentinel_cache_lookups_total", "result=stale")
                    + rise(before, after, "sentinel_cache_lookups_total", "result=miss");
            assertThat(lookups).isEqualTo(allowed + intercepted);
            assertThat(after.value("sentinel_store_up", "store=postgresql")).isEqualTo(1);
            assertThat(after.value("sentinel_store_up", "store=redis")).isEqualTo(1);
            assertThat(after.has("sentinel_intercept_rows_buffered")).isTrue();
            assertThat(after.has("sentinel_intercept_rows_dropped_total")).isTrue();
            assertThat(after.has("sentinel_alert_webhooks_total", "outcome=sent")).isTrue();
            assertThat(after.has("sentinel_alert_webhooks_total", "outcome=failed")).isTrue();
            assertThat(sentinel.management(instance).get("/metrics").header("content-type"))
                    .startsWith("text/plain");
        }
    }

    private static double rise(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
