package dev.sentinel.app;

import static dev.sentinel.app.RedisOutageUnderLoadIT.bearer;
import static dev.sentinel.app.RedisOutageUnderLoadIT.sentinelSees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Eventually;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.RedisServer;
import dev.sentinel.app.support.Scrape;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TcpRelay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4, the "both down" row: with Redis killed and PostgreSQL cut off, every keyed
 * request follows the failsafe mode once the per-process copy (at most a second old) is
 * gone: closed refuses with 503 JSON, open passes unchecked, counted and logged. Readiness
 * answers 503 only in closed mode.
 */
class BothStoresDownIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void closedModeRefusesEveryKeyedRequestWith503Json() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TcpRelay relay = TcpRelay.start("127.0.0.1", 5432);
                SentinelUnderTest sentinel = prepare("closed", redis, relay)) {
            Sentinel instance = sentinel.startInstance();
            String cached = Keys.fresh();
            String uncached = Keys.fresh();
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(200);
            sentinel.insertBinding(uncached, "127.0.0.6/32");

            takeBothAway(sentinel, instance, redis, relay);
            assertThat(Eventually.within(WAIT, () -> sentinel.from("127.0.0.2")
                    .get("/v1/models", bearer(cached)).status() == 503)).isTrue();

            for (int i = 0; i < 5; i++) {
                for (Response refused : List.of(
                        sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)),
                        sentinel.from("127.0.0.6").get("/v1/models", bearer(uncached)),
                        sentinel.from("127.0.0.7").get("/v1/models", bearer(Keys.fresh())))) {
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("content-type")).startsWith("application/json");
                    assertThat(refused.body()).contains("\"code\":\"failsafe_closed\"");
                }
            }
            Response ready = sentinel.readiness(instance);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("\"postgresql\":\"down\"")
                    .contains("\"redis\":\"down\"").contains("\"state\":\"refusing\"");
            assertThat(sentinel.management(instance).get("/health").body())
                    .isEqualTo("{\"status\":\"ok\"}");

            bringBothBack(sentinel, instance, redis, relay);
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(200);
            assertThat(sentinel.readiness(instance).status()).isEqualTo(200);
        }
    }

    @Test
    void openModePassesEveryKeyedRequestUncheckedCountedAndLogged() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TcpRelay relay = TcpRelay.start("127.0.0.1", 5432);
                SentinelUnderTest sentinel = prepare("open", redis, relay)) {
            Sentinel instance = sentinel.startInstance();
            String cached = Keys.fresh();
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(200);
            assertThat(sentinel.from("127.0.0.3").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(403);
            int logStart = LogCapture.text().length();

            takeBothAway(sentinel, instance, redis, relay);
            // From the wrong address a key passes only when nothing checks it any more.
            assertThat(Eventually.within(WAIT, () -> sentinel.from("127.0.0.3")
                    .get("/v1/models", bearer(cached)).status() == 200)).isTrue();
            Scrape before = sentinel.metrics(instance);
            sentinel.downstream().clear();

            for (int i = 0; i < 5; i++) {
                assertThat(sentinel.from("127.0.0.3").get("/v1/models", bearer(cached))
                        .status()).isEqualTo(200);
                assertThat(sentinel.from("127.0.0.7").get("/v1/models",
                        bearer(Keys.fresh())).status()).isEqualTo(200);
            }

            assertThat(sentinel.downstream().received()).hasSize(10);
            Scrape after = sentinel.metrics(instance);
            assertThat(after.value("sentinel_requests_total", "outcome=failsafe_open")
                    - before.value("sentinel_requests_total", "outcome=failsafe_open"))
                    .isEqualTo(10);
            assertThat(LogCapture.text().substring(logStart))
                    .contains("failsafe decision").contains("mode=open");
            Response ready = sentinel.readiness(instance);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).contains("\"state\":\"passing\"")
                    .contains("\"status\":\"degraded\"");

            bringBothBack(sentinel, instance, redis, relay);
            assertThat(sentinel.from("127.0.0.3").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(403);
        }
    }

    private static SentinelUnderTest prepare(String mode, RedisServer redis, TcpRelay relay) {
        return SentinelUnderTest.prepare("bothdown" + mode, true,
                Map.of("SENTINEL_FAILSAFE_MODE", mode, "BIND_RATE_PER_IP", "0"))
                .redisAt(redis.url())
                .postgresThrough(relay.port());
    }

    private static void takeBothAway(SentinelUnderTest sentinel, Sentinel instance,
            RedisServer redis, TcpRelay relay) throws Exception {
        redis.kill();
        relay.cut();
        // Keyed requests are what notice: a key no cache holds asks both stores.
        assertThat(Eventually.within(WAIT, () -> {
            sentinel.from("127.0.0.9").get("/v1/models", bearer(Keys.fresh()));
            return sentinel.storeIs(instance, "redis", "down")
                    && sentinel.storeIs(instance, "postgresql", "down");
        })).isTrue();
    }

    private static void bringBothBack(SentinelUnderTest sentinel, Sentinel instance,
            RedisServer redis, TcpRelay relay) throws Exception {
        redis.startAgain();
        relay.restore();
        assertThat(sentinelSees(sentinel, instance, "redis", "up")).isTrue();
        assertThat(sentinelSees(sentinel, instance, "postgresql", "up")).isTrue();
    }
}
