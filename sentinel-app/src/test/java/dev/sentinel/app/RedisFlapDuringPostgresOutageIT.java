package dev.sentinel.app;

import static dev.sentinel.app.RedisOutageUnderLoadIT.bearer;
import static dev.sentinel.app.RedisOutageUnderLoadIT.sentinelSees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TcpRelay;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A short Redis outage while PostgreSQL is down used to delete every cached binding when
 * Redis returned, so that a bound, cached key fell into the failsafe for the rest of the
 * PostgreSQL outage (503 in closed mode, unchecked in open mode). With no eviction lost in
 * the Redis outage, the Redis entries are kept and go on deciding.
 */
class RedisFlapDuringPostgresOutageIT {

    @Test
    void aRedisFlapDuringAPostgresOutageNoLongerSendsCachedKeysToTheFailsafe()
            throws Exception {
        try (TcpRelay redisRelay = TcpRelay.start("127.0.0.1", 6379);
                TcpRelay postgresRelay = TcpRelay.start("127.0.0.1", 5432);
                SentinelUnderTest sentinel = SentinelUnderTest.prepare("redisflap", true,
                        Map.of("SENTINEL_FAILSAFE_MODE", "closed", "BIND_RATE_PER_IP", "0"))
                        .redisAt("redis://127.0.0.1:" + redisRelay.port())
                        .postgresThrough(postgresRelay.port())) {
            Sentinel instance = sentinel.startInstance();
            String cached = Keys.fresh();
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(200);

            postgresRelay.cut();
            sentinel.from("127.0.0.9").get("/v1/models", bearer(Keys.fresh()));
            assertThat(sentinelSees(sentinel, instance, "postgresql", "down")).isTrue();
            redisRelay.cut();
            sentinel.from("127.0.0.9").get("/v1/models", bearer(Keys.fresh()));
            assertThat(sentinelSees(sentinel, instance, "redis", "down")).isTrue();
            redisRelay.restore();
            assertThat(sentinelSees(sentinel, instance, "redis", "up")).isTrue();

            // Recovery dropped the per-process copies: the Redis entry decides these.
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(200);
            Response elsewhere = sentinel.from("127.0.0.3").get("/v1/models", bearer(cached));
            assertThat(elsewhere.status()).isEqualTo(403);
            assertThat(elsewhere.body()).doesNotContain("failsafe");

            // Waiting intercepts are written at once, rather than given up at shutdown.
            postgresRelay.restore();
            assertThat(sentinelSees(sentinel, instance, "postgresql", "up")).isTrue();
        }
    }
}
