package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.TestDatabase;
import dev.sentinel.adapters.postgres.BindingArchive.ArchiveRun;
import dev.sentinel.adapters.postgres.BindingArchive.Archived;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingStore;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresBindingArchiveIT {

    private static final Instant NOW = Bindings.T0.plus(Duration.ofDays(40));
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));

    private static PostgresConfig config;
    private static PostgresStores stores;
    private static BindingStore store;

    @BeforeAll
    static void connect() {
        config = TestDatabase.config(TestDatabase.uniqueSchema(PostgresBindingArchiveIT.class));
        stores = PostgresStores.connect(config);
        store = stores.bindingStore();
    }

    @AfterAll
    static void dropSchema() {
        stores.close();
        TestDatabase.dropSchema(config);
    }

    @BeforeEach
    void emptyTables() {
        TestDatabase.execute(config, "DELETE FROM binding; DELETE FROM archived_binding");
    }

    @Test
    void onlyIdleActiveAutomaticBindingsMoveAndEachMovesWhole() {
        Binding idle = bind("198.51.100.1", Bindings.T0);
        Binding recent = bind("198.51.100.2", NOW.minus(Duration.ofDays(1)));
        Binding banned = bind("198.51.100.3", Bindings.T0);
        Binding edited = bind("198.51.100.4", Bindings.T0);
        TestDatabase.execute(config, "UPDATE binding SET status = 'banned', revision = 1 "
                + "WHERE id = " + banned.id());
        TestDatabase.execute(config, "UPDATE binding SET rules_set_by_admin = true, note = "
                + "'office', revision = 1 WHERE id = " + edited.id());

        ArchiveRun run = stores.bindingArchive().archiveIdle(CUTOFF, NOW, 10_000);

        assertThat(run).isEqualTo(new Archived(List.of(idle.tokenHash())));
        assertThat(store.find(idle.tokenHash())).isEmpty();
        assertThat(store.find(recent.tokenHash())).isPresent();
        assertThat(store.find(banned.tokenHash())).isPresent();
        assertThat(store.find(edited.tokenHash())).isPresent();
        List<String> archived = stores.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT binding_id || ' ' || hint || ' ' || rules::text || ' ' || status
                       || ' ' || host(last_ip) || ' ' || (archived_at = :now)
                  FROM archived_binding""")
                .bind("now", SqlText.timestamp(NOW))
                .mapTo(String.class)
                .list());
        assertThat(archived).containsExactly(idle.id() + " sk-ab…wxyz {198.51.100.1/32} active "
                        + "198.51.100.1 true");
    }

    @Test
    void aRunMovesNoMoreThanItsLimitAndTheNextRunContinues() {
        for (int i = 1; i <= 5; i++) {
            bind("198.51.100." + i, Bindings.T0.plusSeconds(i));
        }

        ArchiveRun first = stores.bindingArchive().archiveIdle(CUTOFF, NOW, 3);
        ArchiveRun second = stores.bindingArchive().archiveIdle(CUTOFF, NOW, 3);

        assertThat(((Archived) first).tokenHashes()).hasSize(3);
        assertThat(((Archived) second).tokenHashes()).hasSize(2);
        assertThat(archivedCount()).isEqualTo(5);
    }

    @Test
    void whileAnotherReplicaHoldsTheLockARunIsBusyAndMovesNothing() throws Exception {
        bind("198.51.100.1", Bindings.T0);
        try (Connection other = TestDatabase.connect(config);
                Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(" + 0x53454E54
                    + ", hashtext(current_schema()))");

            assertThat(stores.bindingArchive().archiveIdle(CUTOFF, NOW, 10))
                    .isEqualTo(new BindingArchive.Busy());
            other.rollback();
        }

        assertThat(archivedCount()).isZero();
        assertThat(stores.bindingArchive().archiveIdle(CUTOFF, NOW, 10))
                .isInstanceOf(Archived.class);
        assertThat(archivedCount()).isEqualTo(1);
    }

    @Test
    void twoReplicasArchivingAtOnceMoveEachBindingOnce() throws Exception {
        List<TokenHash> idle = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            idle.add(bind("10." + (i / 250) + "." + (i % 250) + ".1", Bindings.T0).tokenHash());
        }
        PostgresStores otherReplica = PostgresStores.connect(config);
        CountDownLatch go = new CountDownLatch(1);
        List<ArchiveRun> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<ArchiveRun>> started = new ArrayList<>();
            for (PostgresStores replica : List.of(stores, otherReplica)) {
                Callable<ArchiveRun> run = () -> {
                    go.await();
                    return replica.bindingArchive().archiveIdle(CUTOFF, NOW, 10_000);
                };
                started.add(threads.submit(run));
            }
            go.countDown();
            for (Future<ArchiveRun> run : started) {
                runs.add(run.get());
            }
        } finally {
            otherReplica.close();
        }

        List<TokenHash> moved = new ArrayList<>();
        runs.stream().filter(Archived.class::isInstance)
                .forEach(run -> moved.addAll(((Archived) run).tokenHashes()));
        assertThat(moved).containsExactlyInAnyOrderElementsOf(idle);
        assertThat(archivedCount()).isEqualTo(2500);
        long distinct = stores.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(DISTINCT token_hash) FROM archived_binding")
                .mapTo(Long.class).one());
        assertThat(distinct).isEqualTo(2500);
    }

    private static Binding bind(String client, Instant lastSeen) {
        Binding created = store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(), client,
                lastSeen)).binding();
        return created;
    }

    private static long archivedCount() {
        return stores.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM archived_binding").mapTo(Long.class).one());
    }
}
