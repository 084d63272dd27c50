package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Eventually;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.RedisServer;
import dev.sentinel.app.support.RequestStream;
import dev.sentinel.app.support.RequestStream.Lane;
import dev.sentinel.app.support.SentinelUnderTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4, the "Redis down" row: a dedicated redis-server is killed under a steady stream of
 * requests and started again. The per-process cache, then PostgreSQL, decides meanwhile, so
 * cached keys, intercepts and new keys all keep their answers and no request fails; each
 * state change is logged once and shown by readiness.
 */
class RedisOutageUnderLoadIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> PHASES = List.of("before", "outage", "after");

    @Test
    void killingRedisUnderAStreamFailsNoRequestAndEachChangeIsLoggedOnce() throws Exception {
        try (RedisServer redis = RedisServer.start();
                SentinelUnderTest sentinel = SentinelUnderTest.prepare("redisload", true,
                        Map.of("BIND_RATE_PER_IP", "0")).redisAt(redis.url())) {
            Sentinel instance = sentinel.startInstance();
            String cached = Keys.fresh();
            String stolen = Keys.fresh();
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(200);
            assertThat(sentinel.from("127.0.0.4").get("/v1/models", bearer(stolen)).status())
                    .isEqualTo(200);
            int logStart = LogCapture.text().length();

            RequestStream stream = RequestStream.start("before", Duration.ofMillis(10), List.of(
                    new Lane("cached", Set.of(), () -> sentinel.from("127.0.0.2")
                            .get("/v1/models", bearer(cached))),
                    new Lane("intercepted", Set.of(), () -> sentinel.from("127.0.0.5")
                            .get("/v1/models", bearer(stolen))),
                    new Lane("new", Set.of(), () -> sentinel.from("127.0.0.6")
                            .get("/v1/models", bearer(Keys.fresh())))));
            try (stream) {
                awaitAnswers(stream, "before", 15);

                redis.kill();
                stream.phase("outage");
                assertThat(sentinelSees(sentinel, instance, "redis", "down")).isTrue();
                awaitAnswers(stream, "outage", 30);

                redis.startAgain();
                stream.phase("after");
                assertThat(sentinelSees(sentinel, instance, "redis", "up")).isTrue();
                awaitAnswers(stream, "after", 15);
            }

            for (String phase : PHASES) {
                assertThat(stream.count("cached", phase, "200"))
                        .as("%s", stream.tallies()).isEqualTo(stream.total("cached", phase));
                assertThat(stream.count("intercepted", phase, "403"))
                        .as("%s", stream.tallies())
                        .isEqualTo(stream.total("intercepted", phase));
                assertThat(stream.count("new", phase, "200"))
                        .as("%s", stream.tallies()).isEqualTo(stream.total("new", phase));
            }
            String log = LogCapture.text().substring(logStart);
            assertThat(occurrences(log, "store down store=redis")).isEqualTo(1);
            assertThat(occurrences(log, "store up store=redis")).isEqualTo(1);
            assertThat(sentinel.readiness(instance).status()).isEqualTo(200);
        }
    }

    private static void awaitAnswers(RequestStream stream, String phase, int answers) {
        for (String lane : List.of("cached", "intercepted", "new")) {
            assertThat(stream.awaitAnswers(lane, phase, answers, WAIT))
                    .as("%s answers in %s: %s", lane, phase, stream.tallies()).isTrue();
        }
    }

    static boolean sentinelSees(SentinelUnderTest sentinel, Sentinel instance, String store,
            String state) {
        return Eventually.within(WAIT,
                () -> sentinel.storeIs(instance, store, state));
    }

    static int occurrences(String text, String fragment) {
        Matcher matcher = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    static String bearer(String key) {
        return "Authorization: Bearer " + key;
    }
}
