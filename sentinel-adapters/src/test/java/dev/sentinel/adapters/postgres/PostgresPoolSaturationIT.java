package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.RecordingStateListener;
import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.TestDatabase;
import dev.sentinel.adapters.internal.StoreOutageException;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.port.BindingStore;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool whose connections were all busy made a healthy database look down: under a burst of
 * traffic the circuit opened and every uncached key went to the failsafe (503 in closed
 * mode). A saturated pool must fail only the call that waited too long and leave the
 * circuit closed; only failing connection attempts mean an outage.
 */
class PostgresPoolSaturationIT {

    private final RecordingStateListener listener = new RecordingStateListener();
    private PostgresConfig config;
    private PostgresStores stores;

    @BeforeEach
    void connect() {
        config = TestDatabase.config(TestDatabase.uniqueSchema(PostgresPoolSaturationIT.class))
                .toBuilder()
                .poolSize(2)
                .connectionTimeout(Duration.ofMillis(250))
                .build();
        stores = PostgresStores.connect(config, listener);
    }

    @AfterEach
    void dropSchema() {
        if (stores != null) {
            stores.close();
        }
        TestDatabase.dropSchema(config);
    }

    @Test
    void aSaturatedPoolFailsTheWaitingCallButIsNoOutage() throws Exception {
        BindingStore store = stores.bindingStore();
        CountDownLatch holding = new CountDownLatch(2);
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            busy.add(Thread.ofVirtual().start(() -> stores.jdbi().useHandle(handle -> {
                holding.countDown();
                handle.execute("SELECT pg_sleep(1.5)");
            })));
        }
        holding.await();

        assertThatThrownBy(() -> store.find(Bindings.randomHash()))
                .isInstanceOf(StoreUnavailableException.class)
                .isNotInstanceOf(StoreOutageException.class);
        assertThat(stores.state()).isEqualTo(StoreState.UP);

        for (Thread thread : busy) {
            thread.join();
        }
        assertThat(store.find(Bindings.randomHash())).isEmpty();
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void aPoolTimeoutCausedByFailedConnectionAttemptsIsAnOutage() {
        SQLException refused = new SQLException("Connection refused",
                "08001");
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "timed out", "08001", refused);

        assertThat(PostgresFailures.isOutage(timeout)).isTrue();
        assertThat(PostgresFailures.isOutage(new SQLTransientConnectionException(
                "Connection is not available, request timed out after 250ms"))).isFalse();
    }
}
