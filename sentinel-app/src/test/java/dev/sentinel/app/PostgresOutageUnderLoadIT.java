package dev.sentinel.app;

import static dev.sentinel.app.RedisOutageUnderLoadIT.bearer;
import static dev.sentinel.app.RedisOutageUnderLoadIT.occurrences;
import static dev.sentinel.app.RedisOutageUnderLoadIT.sentinelSees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Eventually;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.RequestStream;
import dev.sentinel.app.support.RequestStream.Lane;
import dev.sentinel.app.support.Scrape;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TcpRelay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4, the "PostgreSQL down" row: a relay in front of the machine's PostgreSQL is cut
 * under a steady stream of requests and restored. Meanwhile the Redis entry decides for a
 * cached key (also past its freshness), a key no cache holds and a new key follow the
 * failsafe mode, and intercepts wait in the buffer; after PostgreSQL returns, its rows plus
 * summary counts equal the intercepts made during the outage.
 */
class PostgresOutageUnderLoadIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<String> DOWN = Set.of("cutting", "outage");
    private static final String STALE = "sentinel_cache_stale_decisions_total";

    @Test
    void closedModeRefusesWhatNoCacheDecidesAndLosesNoIntercept() throws Exception {
        Outcome outcome = runOutage("closed");

        assertThat(outcome.failsafeAnswers("503")).isEqualTo(outcome.failsafeTotal());
        assertThat(outcome.failsafeDecisions()).isEqualTo(outcome.failsafeTotal());
        // Redis still decides the keys in use: the instance stays in the load balancer.
        assertThat(outcome.readinessDuringOutage()).isEqualTo(200);
        assertThat(outcome.refusal().status()).isEqualTo(503);
        assertThat(outcome.refusal().header("content-type")).startsWith("application/json");
        assertThat(outcome.refusal().body()).contains("\"code\":\"failsafe_closed\"")
                .contains("\"type\":\"sentinel_error\"");
    }

    @Test
    void openModePassesWhatNoCacheDecidesUncheckedAndLosesNoIntercept() throws Exception {
        Outcome outcome = runOutage("open");

        assertThat(outcome.failsafeAnswers("200")).isEqualTo(outcome.failsafeTotal());
        assertThat(outcome.failsafeDecisions()).isEqualTo(outcome.failsafeTotal());
        assertThat(outcome.readinessDuringOutage()).isEqualTo(200);
        assertThat(outcome.refusal().status()).isEqualTo(200);
        assertThat(outcome.log()).contains("failsafe decision").contains("mode=open");
    }

    private Outcome runOutage(String mode) throws Exception {
        try (TcpRelay relay = TcpRelay.start("127.0.0.1", 5432);
                SentinelUnderTest sentinel = SentinelUnderTest.prepare("pgload" + mode, true,
                        Map.of("SENTINEL_FAILSAFE_MODE", mode, "BIND_RATE_PER_IP", "0",
                                "INTERCEPT_LOG_PER_KEY", "5", "CACHE_TTL_SECONDS", "1"))
                        .postgresThrough(relay.port())) {
            Sentinel instance = sentinel.startInstance();
            String cached = Keys.fresh();
            String stolen = Keys.fresh();
            String uncached = Keys.fresh();
            assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(cached)).status())
                    .isEqualTo(200);
            assertThat(sentinel.from("127.0.0.4").get("/v1/models", bearer(stolen)).status())
                    .isEqualTo(200);
            sentinel.insertBinding(uncached, "127.0.0.6/32");
            int bindingsBefore = sentinel.bindingCount();
            Scrape before = sentinel.metrics(instance);
            int logStart = LogCapture.text().length();

            RequestStream stream = RequestStream.start("before", Duration.ofMillis(10), List.of(
                    new Lane("cached", Set.of(), () -> sentinel.from("127.0.0.2")
                            .get("/v1/models", bearer(cached))),
                    new Lane("intercepted", Set.of("outage"), () -> sentinel.from("127.0.0.5")
                            .get("/v1/models", bearer(stolen))),
                    new Lane("uncached", DOWN, () -> sentinel.from("127.0.0.6")
                            .get("/v1/models", bearer(uncached))),
                    new Lane("new", DOWN, () -> sentinel.from("127.0.0.7")
                            .get("/v1/models", bearer(Keys.fresh())))));
            int readiness;
            Response refusal;
            try (stream) {
                assertThat(stream.awaitAnswers("cached", "before", 20, WAIT)).isTrue();

                relay.cut();
                stream.phase("cutting");
                assertThat(sentinelSees(sentinel, instance, "postgresql", "down")).isTrue();
                stream.phase("outage");
                for (String lane : List.of("cached", "intercepted", "uncached", "new")) {
                    assertThat(stream.awaitAnswers(lane, "outage", 30, WAIT))
                            .as("%s: %s", lane, stream.tallies()).isTrue();
                }
                // Past its one-second freshness, the Redis entry still decides.
                assertThat(Eventually.within(WAIT, () -> sentinel.metrics(instance)
                        .value(STALE) > before.value(STALE))).isTrue();
                readiness = sentinel.readiness(instance).status();
                refusal = sentinel.from("127.0.0.6").get("/v1/models", bearer(uncached));

                // Nothing but the cached key may be under way when PostgreSQL returns.
                stream.phase("settling");
                assertThat(stream.awaitQuiet(Set.of("intercepted", "uncached", "new"), WAIT))
                        .isTrue();
                relay.restore();
                stream.phase("restoring");
                assertThat(sentinelSees(sentinel, instance, "postgresql", "up")).isTrue();
                stream.phase("after");
                assertThat(stream.awaitAnswers("cached", "after", 20, WAIT)).isTrue();
            }

            for (String phase : List.of("before", "cutting", "outage", "settling", "restoring",
                    "after")) {
                assertThat(stream.count("cached", phase, "200")).as("%s", stream.tallies())
                        .isEqualTo(stream.total("cached", phase));
            }
            assertThat(stream.count("intercepted", "outage", "403")).as("%s", stream.tallies())
                    .isEqualTo(stream.total("intercepted", "outage"));

            // Every intercept of the outage is in PostgreSQL: as a row or in a summary.
            String hash = sentinel.tokenHash(stolen).hex();
            long intercepts = stream.count("intercepted", "outage", "403");
            String accounted = "SELECT (SELECT count(*) FROM " + sentinel.schema()
                    + ".intercept_log WHERE token_hash = '" + hash + "') + (SELECT "
                    + "coalesce(sum(intercepts), 0) FROM " + sentinel.schema()
                    + ".intercept_summary WHERE token_hash = '" + hash + "')";
            assertThat(Eventually.within(WAIT, () -> sentinel.queryLong(accounted) == intercepts))
                    .as("rows plus summaries %d, intercepts %d", sentinel.queryLong(accounted),
                            intercepts).isTrue();
            assertThat(sentinel.queryLong("SELECT coalesce(sum(intercepts), 0) FROM "
                    + sentinel.schema() + ".intercept_summary WHERE token_hash = '" + hash
                    + "'")).isPositive();

            // New keys were never bound while the failsafe decided for them.
            assertThat(sentinel.bindingCount()).isEqualTo(bindingsBefore);
            Scrape after = sentinel.metrics(instance);
            String log = LogCapture.text().substring(logStart);
            assertThat(occurrences(log, "store down store=postgresql")).isEqualTo(1);
            assertThat(occurrences(log, "store up store=postgresql")).isEqualTo(1);

            long failsafeTotal = 0;
            long failsafe503 = 0;
            long failsafe200 = 0;
            for (String lane : List.of("uncached", "new")) {
                for (String phase : DOWN) {
                    failsafeTotal += stream.total(lane, phase);
                    failsafe503 += stream.count(lane, phase, "503");
                    failsafe200 += stream.count(lane, phase, "200");
                }
            }
            String outcome = "failsafe_" + mode;
            // The explicit refusal above was a failsafe decision too.
            long decisions = (long) (after.value("sentinel_requests_total", "outcome=" + outcome)
                    - before.value("sentinel_requests_total", "outcome=" + outcome)) - 1;
            return new Outcome(failsafeTotal, failsafe503, failsafe200, decisions, readiness,
                    refusal, log);
        }
    }

    private record Outcome(long failsafeTotal, long failsafe503, long failsafe200,
            long failsafeDecisions, int readinessDuringOutage, Response refusal, String log) {

        long failsafeAnswers(String status) {
            return status.equals("503") ? failsafe503 : failsafe200;
        }
    }
}
