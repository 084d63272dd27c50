package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.Eventually;
import dev.sentinel.adapters.TestDatabase;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresLastSeenIT {

    /** Long enough that only the test's own flush() calls write. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static PostgresConfig config;
    private static PostgresStores stores;
    private static BindingStore store;

    private final List<String> statements = new CopyOnWriteArrayList<>();
    private BatchedLastSeenRecorder recorder;

    @BeforeAll
    static void connect() {
        config = TestDatabase.config(TestDatabase.uniqueSchema(PostgresLastSeenIT.class));
        stores = PostgresStores.connect(config);
        store = stores.bindingStore();
    }

    @AfterAll
    static void dropSchema() {
        stores.close();
        TestDatabase.dropSchema(config);
    }

    @BeforeEach
    void countStatements() {
        stores.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.add(context.getRawSql().strip());
            }
        });
        recorder = stores.lastSeenRecorder(NEVER);
    }

    @AfterEach
    void stopCounting() {
        recorder.close();
        stores.jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
    }

    @Test
    void manyUsesOfManyKeysAreWrittenByOneUpdateWithTheLatestUseWinning() {
        Binding first = bind("198.51.100.1");
        Binding second = bind("198.51.100.2");
        Binding third = bind("2001:db8:1:2::5");
        for (int seconds = 1; seconds <= 20; seconds++) {
            recorder.allowed(first.tokenHash(), IpAddress.of("198.51.100.1"),
                    Bindings.T0.plusSeconds(seconds));
        }
        recorder.allowed(second.tokenHash(), IpAddress.of("198.51.100.2"),
                Bindings.T0.plusSeconds(30));
        recorder.allowed(second.tokenHash(), IpAddress.of("198.51.100.2"),
                Bindings.T0.plusSeconds(10));
        recorder.allowed(third.tokenHash(), IpAddress.of("2001:db8:1:2::9"),
                Bindings.T0.plusSeconds(40));
        assertThat(recorder.pending()).isEqualTo(3);
        statements.clear();

        assertThat(recorder.flush()).isTrue();

        assertThat(statements).hasSize(1).allMatch(sql -> sql.startsWith("UPDATE binding"));
        assertThat(recorder.pending()).isZero();
        assertThat(store.find(first.tokenHash()).orElseThrow().lastSeenAt())
                .isEqualTo(Bindings.T0.plusSeconds(20));
        assertThat(store.find(second.tokenHash()).orElseThrow().lastSeenAt())
                .isEqualTo(Bindings.T0.plusSeconds(30));
        Binding thirdNow = store.find(third.tokenHash()).orElseThrow();
        assertThat(thirdNow.lastSeenAt()).isEqualTo(Bindings.T0.plusSeconds(40));
        assertThat(thirdNow.lastIp()).contains(IpAddress.of("2001:db8:1:2::9"));
    }

    @Test
    void recordingAUseLeavesTheRevisionAloneSoTheFirstUseCanStillBeUndone() {
        Binding created = bind("198.51.100.3");
        recorder.allowed(created.tokenHash(), IpAddress.of("198.51.100.3"),
                Bindings.T0.plusSeconds(5));

        assertThat(recorder.flush()).isTrue();

        assertThat(store.find(created.tokenHash()).orElseThrow().revision()).isZero();
        assertThat(store.undoFirstUse(created)).isTrue();
    }

    @Test
    void anOlderUseNeverMovesLastSeenBack() {
        Binding created = store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(),
                "198.51.100.4", Bindings.T0.plusSeconds(100))).binding();
        recorder.allowed(created.tokenHash(), IpAddress.of("198.51.100.99"),
                Bindings.T0.plusSeconds(50));

        assertThat(recorder.flush()).isTrue();

        Binding now = store.find(created.tokenHash()).orElseThrow();
        assertThat(now.lastSeenAt()).isEqualTo(Bindings.T0.plusSeconds(100));
        assertThat(now.lastIp()).contains(IpAddress.of("198.51.100.4"));
    }

    @Test
    void aFailedWriteKeepsThePendingUsesForTheNextFlush() {
        Binding created = bind("198.51.100.5");
        recorder.allowed(created.tokenHash(), IpAddress.of("198.51.100.5"),
                Bindings.T0.plusSeconds(5));
        TestDatabase.execute(config, "ALTER TABLE binding RENAME TO binding_away");
        try {
            assertThat(recorder.flush()).isFalse();
            assertThat(recorder.pending()).isEqualTo(1);
            recorder.allowed(created.tokenHash(), IpAddress.of("198.51.100.5"),
                    Bindings.T0.plusSeconds(3));
        } finally {
            TestDatabase.execute(config, "ALTER TABLE binding_away RENAME TO binding");
        }

        assertThat(recorder.flush()).isTrue();

        assertThat(store.find(created.tokenHash()).orElseThrow().lastSeenAt())
                .isEqualTo(Bindings.T0.plusSeconds(5));
        assertThat(recorder.pending()).isZero();
    }

    @Test
    void nothingPendingWritesNothing() {
        statements.clear();

        assertThat(recorder.flush()).isTrue();

        assertThat(statements).isEmpty();
    }

    @Test
    void theBackgroundWriterFlushesEveryInterval() {
        Binding created = bind("198.51.100.6");
        try (BatchedLastSeenRecorder frequent = stores.lastSeenRecorder(Duration.ofMillis(50))) {
            frequent.allowed(created.tokenHash(), IpAddress.of("198.51.100.6"),
                    Bindings.T0.plusSeconds(9));

            assertThat(Eventually.within(Duration.ofSeconds(10), () ->
                    store.find(created.tokenHash()).orElseThrow().lastSeenAt()
                            .equals(Bindings.T0.plusSeconds(9)))).isTrue();
        }
    }

    private static Binding bind(String client) {
        return store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(), client,
                Bindings.T0)).binding();
    }
}
