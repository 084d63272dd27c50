package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.Eventually;
import dev.sentinel.adapters.RecordingStateListener;
import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.embedded.EmbeddedDatabase;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL that stops and starts again: an embedded server on a data directory of
 * the test's own, so the shared server is never touched.
 */
class PostgresOutageIT {

    @TempDir
    Path dataDir;

    private final RecordingStateListener listener = new RecordingStateListener();
    private EmbeddedDatabase database;
    private PostgresStores stores;
    private BindingStore store;

    @BeforeEach
    void start() {
        database = EmbeddedDatabase.start(dataDir);
        stores = PostgresStores.connect(database.config(), listener);
        store = stores.bindingStore();
    }

    @AfterEach
    void stop() {
        stores.close();
        database.close();
    }

    @Test
    void aStoppedDatabaseIsReportedDownOnceFailsFastAndIsReportedUpWhenItReturns() {
        Binding created = store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(),
                "198.51.100.7", Bindings.T0)).binding();
        TokenHash tokenHash = created.tokenHash();

        stopDatabase();
        assertThatThrownBy(() -> store.find(tokenHash))
                .isInstanceOf(StoreUnavailableException.class);

        assertThat(stores.state()).isEqualTo(StoreState.DOWN);
        // Without the circuit each call would wait a full second for a connection.
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> store.find(tokenHash))
                    .isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(Duration.ofMillis(250));
        assertThat(stores.ping()).isFalse();
        assertThat(listener.events()).containsExactly("down:postgresql");

        restartDatabase();

        assertThat(Eventually.within(Duration.ofSeconds(30),
                () -> stores.state() == StoreState.UP)).isTrue();
        assertThat(store.find(tokenHash)).contains(created);
        assertThat(listener.events()).containsExactly("down:postgresql", "up:postgresql");
    }

    @Test
    void interceptsAndUsesWaitOutAnOutageAndAreWrittenWhenTheDatabaseReturns() {
        BufferedInterceptLog log = stores.interceptLog(10);
        BatchedLastSeenRecorder recorder = stores.lastSeenRecorder(Duration.ofHours(1));
        Binding created = store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(),
                "198.51.100.7", Bindings.T0)).binding();

        stopDatabase();
        assertThat(stores.ping()).isFalse();
        for (int i = 0; i < 15; i++) {
            log.record(Bindings.intercept(created.tokenHash(), "192.0.2.1",
                    Bindings.T0.plusSeconds(i)));
        }
        recorder.allowed(created.tokenHash(), IpAddress.of("198.51.100.7"),
                Bindings.T0.plusSeconds(60));

        // Past the row bound, the outage's intercepts are counted in a summary instead.
        assertThat(log.dropped()).isZero();
        assertThat(log.summarized()).isEqualTo(5);
        assertThat(log.buffered()).isEqualTo(11);
        assertThat(recorder.flush()).isFalse();
        assertThat(recorder.pending()).isEqualTo(1);

        restartDatabase();

        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(recorder.flush()).isTrue();
        long rows = stores.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM intercept_log WHERE token_hash = :hash")
                .bind("hash", created.tokenHash().hex())
                .mapTo(Long.class)
                .one());
        long summarised = stores.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT sum(intercepts) FROM intercept_summary WHERE token_hash = :hash")
                .bind("hash", created.tokenHash().hex())
                .mapTo(Long.class)
                .one());
        assertThat(rows).isEqualTo(10);
        assertThat(summarised).isEqualTo(5);
        assertThat(store.find(created.tokenHash()).orElseThrow().lastSeenAt())
                .isEqualTo(Bindings.T0.plusSeconds(60));
        assertThat(log.dropped()).isZero();
    }

    private void stopDatabase() {
        database.close();
    }

    private void restartDatabase() {
        database = EmbeddedDatabase.start(dataDir, database.port());
    }
}
