package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.TestDatabase;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PostgresBindingStoreIT {

    private static PostgresConfig config;
    private static PostgresStores stores;
    private static BindingStore store;

    @BeforeAll
    static void connect() {
        config = TestDatabase.config(TestDatabase.uniqueSchema(PostgresBindingStoreIT.class))
                .toBuilder().poolSize(10).build();
        stores = PostgresStores.connect(config);
        store = stores.bindingStore();
    }

    @AfterAll
    static void dropSchema() {
        stores.close();
        TestDatabase.dropSchema(config);
    }

    @Test
    void anUnboundKeyIsNotFound() {
        assertThat(store.find(Bindings.randomHash())).isEmpty();
    }

    @Test
    void aFirstUseCreatesTheBindingItDescribes() {
        Binding candidate = Bindings.firstUse(Bindings.randomHash(), "198.51.100.7",
                Bindings.T0);

        BindingStore.FirstUse outcome = store.bindIfAbsent(candidate);

        assertThat(outcome.created()).isTrue();
        assertThat(outcome.binding().id()).isPositive();
        assertThat(outcome.binding()).isEqualTo(candidate.withId(outcome.binding().id()));
        assertThat(store.find(candidate.tokenHash())).contains(outcome.binding());
    }

    @Test
    void ofFiftyConcurrentFirstUsesExactlyOneCreatesAndTheOthersSeeItsBinding()
            throws Exception {
        TokenHash tokenHash = Bindings.randomHash();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<BindingStore.FirstUse>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(50)) {
            for (int i = 0; i < 50; i++) {
                Binding candidate = Bindings.firstUse(tokenHash, "203.0.113." + (i + 1),
                        Bindings.T0);
                outcomes.add(threads.submit(() -> {
                    start.await();
                    return store.bindIfAbsent(candidate);
                }));
            }
            start.countDown();
        }
        List<BindingStore.FirstUse> results = new ArrayList<>();
        for (Future<BindingStore.FirstUse> outcome : outcomes) {
            results.add(outcome.get());
        }

        List<BindingStore.FirstUse> winners = results.stream()
                .filter(BindingStore.FirstUse::created).toList();
        assertThat(winners).hasSize(1);
        Binding winner = winners.get(0).binding();
        Set<Binding> seen = results.stream().map(BindingStore.FirstUse::binding)
                .collect(Collectors.toSet());
        assertThat(seen).containsExactly(winner);
        assertThat(store.find(tokenHash)).contains(winner);
    }

    @RepeatedTest(5)
    void twoReplicasBindingTheSameKeysInOppositeOrdersBindEachOnceWithoutDeadlock()
            throws Exception {
        // First uses share multi-row statements; two statements that insert the same keys
        // in different orders would each wait for the other's row until PostgreSQL killed
        // one. Each statement inserts in token hash order, so they only ever queue. (In
        // random order, 11 of 15 repetitions deadlocked.)
        List<TokenHash> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(Bindings.randomHash());
        }
        List<BindingStore.FirstUse> results = new CopyOnWriteArrayList<>();
        try (PostgresStores other = PostgresStores.connect(config)) {
            BindingStore replica = other.bindingStore();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> calls = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < keys.size(); i++) {
                    Binding here = Bindings.firstUse(keys.get(i), "203.0.113.9", Bindings.T0);
                    Binding there = Bindings.firstUse(keys.get(keys.size() - 1 - i),
                            "198.51.100.7", Bindings.T0);
                    calls.add(threads.submit(() -> {
                        start.await();
                        results.add(store.bindIfAbsent(here));
                        return null;
                    }));
                    calls.add(threads.submit(() -> {
                        start.await();
                        results.add(replica.bindIfAbsent(there));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> call : calls) {
                    call.get();
                }
            }
        }

        assertThat(results).hasSize(2 * keys.size());
        for (TokenHash key : keys) {
            List<BindingStore.FirstUse> ofKey = results.stream()
                    .filter(result -> result.binding().tokenHash().equals(key)).toList();
            assertThat(ofKey).filteredOn(BindingStore.FirstUse::created).hasSize(1);
            assertThat(ofKey).extracting(BindingStore.FirstUse::binding)
                    .containsOnly(store.find(key).orElseThrow());
        }
    }

    @Test
    void concurrentLookupsOfManyKeysEachGetTheirOwnBinding() throws Exception {
        List<Binding> bound = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            bound.add(store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(),
                    "203.0.113." + (i % 250 + 1), Bindings.T0)).binding());
        }
        List<TokenHash> unbound = List.of(Bindings.randomHash(), Bindings.randomHash());

        List<Future<Optional<Binding>>> found = new ArrayList<>();
        List<Future<Optional<Binding>>> missing = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Binding binding : bound) {
                found.add(threads.submit(() -> store.find(binding.tokenHash())));
            }
            for (TokenHash key : unbound) {
                missing.add(threads.submit(() -> store.find(key)));
            }
        }

        for (int i = 0; i < bound.size(); i++) {
            assertThat(found.get(i).get()).contains(bound.get(i));
        }
        for (Future<Optional<Binding>> none : missing) {
            assertThat(none.get()).isEmpty();
        }
    }

    @Test
    void aLaterFirstUseFromElsewhereGetsTheExistingBinding() {
        TokenHash tokenHash = Bindings.randomHash();
        Binding first = store.bindIfAbsent(Bindings.firstUse(tokenHash, "198.51.100.7",
                Bindings.T0)).binding();

        BindingStore.FirstUse second = store.bindIfAbsent(Bindings.firstUse(tokenHash,
                "192.0.2.99", Bindings.T0.plusSeconds(5)));

        assertThat(second.created()).isFalse();
        assertThat(second.binding()).isEqualTo(first);
        assertThat(second.binding().allows(IpAddress.of("192.0.2.99"))).isFalse();
    }

    @Test
    void undoingAFirstUseDeletesThatRow() {
        Binding created = store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(),
                "198.51.100.7", Bindings.T0)).binding();

        assertThat(store.undoFirstUse(created)).isTrue();

        assertThat(store.find(created.tokenHash())).isEmpty();
        assertThat(store.undoFirstUse(created)).isFalse();
    }

    @Test
    void undoingKeepsARowThatAnAdminChangedSince() {
        Binding created = store.bindIfAbsent(Bindings.firstUse(Bindings.randomHash(),
                "198.51.100.7", Bindings.T0)).binding();
        TestDatabase.execute(config, "UPDATE binding SET revision = revision + 1, "
                + "note = 'checked' WHERE id = " + created.id());

        assertThat(store.undoFirstUse(created)).isFalse();

        assertThat(store.find(created.tokenHash())).hasValueSatisfying(binding ->
                assertThat(binding.note()).isEqualTo("checked"));
    }

    @Test
    void undoingKeepsTheRowOfALaterBindingOfTheSameKey() {
        TokenHash tokenHash = Bindings.randomHash();
        Binding first = store.bindIfAbsent(Bindings.firstUse(tokenHash, "198.51.100.7",
                Bindings.T0)).binding();
        assertThat(store.undoFirstUse(first)).isTrue();
        Binding rebound = store.bindIfAbsent(Bindings.firstUse(tokenHash, "192.0.2.99",
                Bindings.T0.plusSeconds(60))).binding();

        assertThat(store.undoFirstUse(first)).isFalse();

        assertThat(rebound.id()).isNotEqualTo(first.id());
        assertThat(store.find(tokenHash)).contains(rebound);
    }

    @Test
    void ipv4MappedAndIpv6RulesRoundTripThroughCidrArrays() {
        List<Cidr> rules = List.of(
                Cidr.parse("10.20.0.0/16"),
                Cidr.parse("::ffff:192.0.2.0/120"),
                Cidr.parse("2001:db8:1234::/48"),
                Cidr.parse("0.0.0.0/0"),
                Cidr.parse("::/0"));
        Binding candidate = new Binding(0, Bindings.randomHash(), "sk-ab…wxyz", rules,
                BindingStatus.BANNED, true, Bindings.T0, Bindings.T0.plusSeconds(1),
                Optional.of(IpAddress.of("::ffff:192.0.2.44")), "wiki bot", 0);

        Binding stored = store.bindIfAbsent(candidate).binding();

        assertThat(stored.rules()).containsExactly(
                Cidr.parse("10.20.0.0/16"),
                Cidr.parse("192.0.2.0/24"),
                Cidr.parse("2001:db8:1234::/48"),
                Cidr.parse("0.0.0.0/0"),
                Cidr.parse("::/0"));
        assertThat(stored.lastIp()).contains(IpAddress.of("192.0.2.44"));
        assertThat(store.find(candidate.tokenHash())).contains(stored);
        assertThat(stored).isEqualTo(candidate.withId(stored.id()));
    }

    @Test
    void aNulCharacterThatTextCannotHoldIsRemovedNotRefused() {
        Binding candidate = new Binding(0, Bindings.randomHash(), "sk-\0ab…wxyz",
                List.of(Cidr.parse("10.0.0.0/8")), BindingStatus.ACTIVE, false, Bindings.T0,
                Bindings.T0, Optional.of(IpAddress.of("10.1.2.3")), "", 0);

        Binding stored = store.bindIfAbsent(candidate).binding();

        assertThat(stored.hint()).isEqualTo("sk-ab…wxyz");
    }

    @Test
    void aFailedStatementIsAStoreFailureButNoOutage() {
        TestDatabase.execute(config, "ALTER TABLE binding RENAME TO binding_away");
        try {
            assertThatThrownBy(() -> store.find(Bindings.randomHash()))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("postgresql could not find a binding");

            assertThat(stores.state()).isEqualTo(StoreState.UP);
        } finally {
            TestDatabase.execute(config, "ALTER TABLE binding_away RENAME TO binding");
        }
    }

    @Test
    void pingAnswersWhileTheDatabaseIsUp() {
        assertThat(stores.ping()).isTrue();
        assertThat(stores.state()).isEqualTo(StoreState.UP);
    }

    @Test
    void theMigrationCreatedTheTablesInTheTestSchemaOnly() {
        Long tables = stores.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = :schema "
                        + "AND table_name IN ('binding', 'intercept_log')")
                .bind("schema", config.schema())
                .mapTo(Long.class)
                .one());

        assertThat(tables).isEqualTo(2);
    }
}
