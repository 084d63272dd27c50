package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The batching itself; {@code PostgresBindingStoreIT} runs it against PostgreSQL. */
@Timeout(30)
class BindingBatchesTest {

    private final List<List<TokenHash>> statements = new CopyOnWriteArrayList<>();

    @Test
    void aLoneRequestIsSentAtOnceInAStatementOfItsOwn() {
        BindingBatches<TokenHash> batches = recorded(keys -> rowsFor(keys));
        TokenHash key = Bindings.randomHash();

        assertThat(batches.submit(key)).map(Binding::tokenHash).contains(key);
        assertThat(statements).containsExactly(List.of(key));
    }

    @Test
    void requestsThatArriveWhileStatementsRunShareTheNextOne() throws Exception {
        List<TokenHash> later = new ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch runnersBusy = new CountDownLatch(BindingBatches.MAX_RUNNING);
        BindingBatches<TokenHash> batches = recorded(keys -> {
            runnersBusy.countDown();
            await(release);
            return rowsFor(keys);
        });

        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<Binding>>> first = new ArrayList<>();
            for (int i = 0; i < BindingBatches.MAX_RUNNING; i++) {
                TokenHash key = Bindings.randomHash();
                first.add(callers.submit(() -> batches.submit(key)));
                int started = i + 1;
                await(waitUntil(() -> statements.size() == started));
            }
            assertThat(runnersBusy.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<Optional<Binding>>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                TokenHash key = Bindings.randomHash();
                later.add(key);
                answers.add(callers.submit(() -> batches.submit(key)));
            }
            Thread.sleep(200);
            release.countDown();

            for (int i = 0; i < later.size(); i++) {
                assertThat(answers.get(i).get()).map(Binding::tokenHash).contains(later.get(i));
            }
        }
        assertThat(statements).hasSize(BindingBatches.MAX_RUNNING + 1);
        assertThat(statements.getLast()).containsExactlyInAnyOrderElementsOf(later);
    }

    @Test
    void aStatementSeesItsKeysInTokenHashOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BindingBatches<TokenHash> batches = recorded(keys -> {
            await(release);
            return rowsFor(keys);
        });
        List<TokenHash> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add(Bindings.randomHash());
        }

        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            // One at a time: two blockers queued together would share one statement.
            for (int i = 0; i < BindingBatches.MAX_RUNNING; i++) {
                TokenHash blocker = Bindings.randomHash();
                callers.submit(() -> batches.submit(blocker));
                int started = i + 1;
                await(waitUntil(() -> statements.size() == started));
            }
            List<Future<Optional<Binding>>> answers = new ArrayList<>();
            for (TokenHash key : keys) {
                answers.add(callers.submit(() -> batches.submit(key)));
            }
            Thread.sleep(200);
            release.countDown();

            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).map(Binding::tokenHash).contains(keys.get(i));
            }
        }
        List<TokenHash> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(TokenHash::hex));
        assertThat(statements.getLast()).containsExactlyElementsOf(sorted);
    }

    @Test
    void ofTwoInsertsOfOneKeyInABatchOnlyTheFirstGetsTheCreatedRow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<List<Binding>> inserted = new CopyOnWriteArrayList<>();
        BindingBatches<Binding> batches = new BindingBatches<>("test-inserts",
                Binding::tokenHash, candidates -> {
                    inserted.add(candidates);
                    await(release);
                    Map<TokenHash, Binding> rows = new HashMap<>();
                    candidates.forEach(candidate -> rows.put(candidate.tokenHash(),
                            candidate.withId(7)));
                    return rows;
                });
        TokenHash key = Bindings.randomHash();
        Binding first = Bindings.firstUse(key, "203.0.113.9", Bindings.T0);
        Binding second = Bindings.firstUse(key, "198.51.100.7", Bindings.T0);

        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < BindingBatches.MAX_RUNNING; i++) {
                Binding blocker = Bindings.firstUse(Bindings.randomHash(), "192.0.2.1",
                        Bindings.T0);
                callers.submit(() -> batches.submit(blocker));
                int started = i + 1;
                await(waitUntil(() -> inserted.size() == started));
            }
            Future<Optional<Binding>> firstAnswer = callers.submit(() -> batches.submit(first));
            Thread.sleep(100);
            Future<Optional<Binding>> secondAnswer =
                    callers.submit(() -> batches.submit(second));
            Thread.sleep(100);
            release.countDown();

            assertThat(firstAnswer.get()).contains(first.withId(7));
            assertThat(secondAnswer.get()).isEmpty();
        }
        assertThat(inserted.getLast()).containsExactly(first);
    }

    @Test
    void aFailedStatementFailsItsOwnRequestsAndTheNextBatchRuns() {
        RuntimeException broken = new IllegalStateException("connection reset");
        List<Boolean> fail = new CopyOnWriteArrayList<>(List.of(true));
        BindingBatches<TokenHash> batches = recorded(keys -> {
            if (fail.removeFirst()) {
                throw broken;
            }
            return rowsFor(keys);
        });
        fail.add(false);
        TokenHash key = Bindings.randomHash();

        assertThatThrownBy(() -> batches.submit(key)).isSameAs(broken);
        assertThat(batches.submit(key)).map(Binding::tokenHash).contains(key);
    }

    @Test
    void aKeyWithoutARowIsAnsweredEmpty() {
        BindingBatches<TokenHash> batches = recorded(keys -> Map.of());

        assertThat(batches.submit(Bindings.randomHash())).isEmpty();
    }

    private BindingBatches<TokenHash> recorded(BindingBatches.Statement<TokenHash> statement) {
        return new BindingBatches<>("test-batches", key -> key, keys -> {
            statements.add(List.copyOf(keys));
            return statement.run(keys);
        });
    }

    private static Map<TokenHash, Binding> rowsFor(List<TokenHash> keys) {
        Map<TokenHash, Binding> rows = new HashMap<>();
        for (TokenHash key : keys) {
            rows.put(key, Bindings.firstUse(key, "203.0.113.9", Bindings.T0).withId(1));
        }
        return rows;
    }

    private static CountDownLatch waitUntil(java.util.function.BooleanSupplier condition) {
        CountDownLatch met = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return;
                }
                Thread.yield();
            }
            met.countDown();
        });
        return met;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("waited too long");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
