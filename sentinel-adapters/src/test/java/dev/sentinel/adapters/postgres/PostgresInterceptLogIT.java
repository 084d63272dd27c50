package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.TestDatabase;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresInterceptLogIT {

    private static PostgresConfig config;
    private static PostgresStores stores;

    @BeforeAll
    static void connect() {
        config = TestDatabase.config(TestDatabase.uniqueSchema(PostgresInterceptLogIT.class));
        stores = PostgresStores.connect(config);
    }

    @AfterAll
    static void dropSchema() {
        stores.close();
        TestDatabase.dropSchema(config);
    }

    @Test
    void recordedInterceptsLandAsRows() {
        TokenHash tokenHash = Bindings.randomHash();
        Intercept intercept = new Intercept(Bindings.T0, tokenHash, "sk-ab…wxyz",
                IpAddress.of("2001:db8::77"),
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:1::/48")), "GET",
                "/v1/models", "openai-python/1.55.0", InterceptReason.BANNED);
        try (BufferedInterceptLog log = stores.interceptLog(100)) {
            log.record(intercept);
            for (int i = 0; i < 9; i++) {
                log.record(Bindings.intercept(tokenHash, "192.0.2." + (i + 1),
                        Bindings.T0.plusSeconds(i + 1)));
            }

            assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(log.buffered()).isZero();
            assertThat(log.dropped()).isZero();
        }

        assertThat(rowCount(tokenHash)).isEqualTo(10);
        Map<String, Object> row = stores.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT at, token_hash, hint, host(client_ip) AS client_ip,
                       array_to_string(bound_rules::text[], ',') AS bound_rules,
                       method, path, user_agent, reason
                  FROM intercept_log WHERE token_hash = :hash AND reason = 'banned'""")
                .bind("hash", tokenHash.hex())
                .mapToMap()
                .one());
        assertThat(((Timestamp) row.get("at")).toInstant()).isEqualTo(Bindings.T0);
        assertThat(row).containsEntry("token_hash", tokenHash.hex())
                .containsEntry("hint", "sk-ab…wxyz")
                .containsEntry("client_ip", "2001:db8::77")
                .containsEntry("method", "GET")
                .containsEntry("path", "/v1/models")
                .containsEntry("user_agent", "openai-python/1.55.0")
                .containsEntry("reason", "banned");
        assertThat(row).containsEntry("bound_rules", "10.0.0.0/8,2001:db8:1::/48");
    }

    @Test
    void pastTheRowBoundInterceptsAreSummarisedWhileTheRestWait() throws Exception {
        TokenHash tokenHash = Bindings.randomHash();
        try (BufferedInterceptLog log = stores.interceptLog(20)) {
            // A lock held elsewhere keeps the writer from committing anything meanwhile.
            try (Connection blocker = TestDatabase.connect(config);
                    Statement statement = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                statement.execute("LOCK TABLE intercept_log, intercept_summary IN ACCESS "
                        + "EXCLUSIVE MODE");

                for (int i = 0; i < 25; i++) {
                    log.record(Bindings.intercept(tokenHash, "192.0.2.9",
                            Bindings.T0.plusMillis(i)));
                }

                assertThat(log.dropped()).isZero();
                assertThat(log.summarized()).isEqualTo(5);
                assertThat(log.buffered()).isEqualTo(21);
                blocker.commit();
            }

            assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(log.dropped()).isZero();
        }

        assertThat(rowCount(tokenHash)).isEqualTo(20);
        assertThat(summarisedCount(tokenHash)).isEqualTo(5);
    }

    @Test
    void aFloodedKeyGetsItsRowsPerMinuteAndOneSummaryForTheRestOfEachMinute() {
        TokenHash tokenHash = Bindings.randomHash();
        Instant minute = Bindings.T0.truncatedTo(ChronoUnit.MINUTES);
        try (BufferedInterceptLog log = stores.interceptLog(1000, 3)) {
            for (int i = 0; i < 10; i++) {
                log.record(Bindings.intercept(tokenHash, "192.0.2." + (i % 4 + 1),
                        minute.plusSeconds(5 + i)));
            }
            for (int i = 0; i < 4; i++) {
                log.record(Bindings.intercept(tokenHash, "192.0.2.9",
                        minute.plusSeconds(60 + i)));
            }

            assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(log.summarized()).isEqualTo(8);
            assertThat(log.dropped()).isZero();
        }

        assertThat(rowCount(tokenHash)).isEqualTo(6);
        List<Map<String, Object>> summaries = summaries(tokenHash);
        assertThat(summaries).hasSize(2);
        Map<String, Object> first = summaries.get(0);
        assertThat(((Timestamp) first.get("minute")).toInstant()).isEqualTo(minute);
        assertThat(first).containsEntry("intercepts", 7L).containsEntry("distinct_addresses", 4)
                .containsEntry("hint", "sk-ab…wxyz");
        assertThat(((Timestamp) first.get("first_at")).toInstant())
                .isEqualTo(minute.plusSeconds(8));
        assertThat(((Timestamp) first.get("last_at")).toInstant())
                .isEqualTo(minute.plusSeconds(14));
        assertThat(summaries.get(1)).containsEntry("intercepts", 1L)
                .containsEntry("distinct_addresses", 1);
    }

    @Test
    void summariesOfTwoReplicasForOneKeyAndMinuteAddUpInOneRow() {
        TokenHash tokenHash = Bindings.randomHash();
        try (BufferedInterceptLog first = stores.interceptLog(1000, 1);
                BufferedInterceptLog second = stores.interceptLog(1000, 1)) {
            for (int i = 0; i < 4; i++) {
                first.record(Bindings.intercept(tokenHash, "192.0.2.1",
                        Bindings.T0.plusMillis(i)));
                second.record(Bindings.intercept(tokenHash, "192.0.2.2",
                        Bindings.T0.plusMillis(10 + i)));
            }
            assertThat(first.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(second.flush(Duration.ofSeconds(10))).isTrue();
        }

        assertThat(rowCount(tokenHash)).isEqualTo(2);
        List<Map<String, Object>> summaries = summaries(tokenHash);
        assertThat(summaries).hasSize(1);
        assertThat(summaries.get(0)).containsEntry("intercepts", 6L)
                .containsEntry("distinct_addresses", 2);
    }

    @Test
    void anInterceptThatFitsNeitherTheRowsNorTheSummariesIsDroppedAndCounted() throws Exception {
        try (BufferedInterceptLog log = stores.interceptLog(1)) {
            try (Connection blocker = TestDatabase.connect(config);
                    Statement statement = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                statement.execute("LOCK TABLE intercept_log, intercept_summary IN ACCESS "
                        + "EXCLUSIVE MODE");

                // One row, then one pending summary per further key up to the bound.
                for (int i = 0; i < 10_002; i++) {
                    log.record(Bindings.intercept(Bindings.randomHash(), "192.0.2.9",
                            Bindings.T0));
                }

                assertThat(log.summarized()).isEqualTo(10_000);
                assertThat(log.dropped()).isEqualTo(1);
                blocker.rollback();
            }
            assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void oneRowTheDatabaseRefusesIsDroppedWithoutHoldingUpTheOthers() {
        TokenHash tokenHash = Bindings.randomHash();
        TestDatabase.execute(config, "ALTER TABLE intercept_log ADD CONSTRAINT no_teapots "
                + "CHECK (method <> 'BREW')");
        try (BufferedInterceptLog log = stores.interceptLog(100)) {
            log.record(Bindings.intercept(tokenHash, "192.0.2.1", Bindings.T0));
            log.record(new Intercept(Bindings.T0, tokenHash, "sk-ab…wxyz",
                    IpAddress.of("192.0.2.2"), List.of(Cidr.parse("10.0.0.0/8")), "BREW",
                    "/coffee", "", InterceptReason.OUTSIDE_BOUND_NETWORKS));
            log.record(Bindings.intercept(tokenHash, "192.0.2.3", Bindings.T0));

            assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(log.dropped()).isEqualTo(1);
        } finally {
            TestDatabase.execute(config, "ALTER TABLE intercept_log DROP CONSTRAINT no_teapots");
        }

        assertThat(rowCount(tokenHash)).isEqualTo(2);
    }

    @Test
    void recordingAfterCloseDropsAndCounts() {
        BufferedInterceptLog log = stores.interceptLog(10);
        log.close();

        log.record(Bindings.intercept(Bindings.randomHash(), "192.0.2.1", Instant.now()));

        assertThat(log.dropped()).isEqualTo(1);
    }

    private static long summarisedCount(TokenHash tokenHash) {
        return stores.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT coalesce(sum(intercepts), 0) FROM intercept_summary "
                        + "WHERE token_hash = :hash")
                .bind("hash", tokenHash.hex())
                .mapTo(Long.class)
                .one());
    }

    private static List<Map<String, Object>> summaries(TokenHash tokenHash) {
        return stores.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT minute, hint, intercepts, distinct_addresses, first_at, last_at
                  FROM intercept_summary WHERE token_hash = :hash ORDER BY minute""")
                .bind("hash", tokenHash.hex())
                .mapToMap()
                .list());
    }

    private static long rowCount(TokenHash tokenHash) {
        return stores.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM intercept_log WHERE token_hash = :hash")
                .bind("hash", tokenHash.hex())
                .mapTo(Long.class)
                .one());
    }
}
