package dev.sentinel.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.credential.ApiKey;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent first uses of one key each asked the store: a burst of a new key's requests
 * made one read and one insert per request (and took one allowance per network), which
 * loaded PostgreSQL in proportion to the burst. Concurrent decisions for one key now share
 * one store call, and every request is still judged against the one binding that holds.
 *
 * <p>Each test holds the store's reads shut until every request is parked (waiting for the
 * store or for another request's store call), then opens them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConcurrentFirstUsesShareOneStoreCallTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final TokenHasher HASHER =
            new TokenHasher("single-flight-test-secret-0123456789");
    private static final ApiKey KEY = ApiKey.fromPasted("sk-BurstKey0123456789abcdefABCDEF");
    private static final TokenHash HASH = HASHER.identify(KEY);

    private final Recorders.Clock clock = new Recorders.Clock(START);
    private final InMemoryBindingStore store = new InMemoryBindingStore();
    private final InMemoryBindingCache cache = new InMemoryBindingCache(clock);
    private final InMemoryBindQuota quota = new InMemoryBindQuota();
    private final Recorders.InterceptRows intercepts = new Recorders.InterceptRows();
    private final BindingGuard guard = BindingGuard.builder()
            .store(store)
            .cache(cache)
            .interceptLog(intercepts)
            .quota(quota)
            .lastSeen(new Recorders.LastSeen())
            .clock(clock)
            .listener(new Recorders.Events())
            .build();

    @Test
    void aBurstOfFirstUsesFromManyNetworksMakesOneReadAndOneInsert() throws Exception {
        CountDownLatch reads = store.holdReads();
        List<AccessAttempt> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(attempt("10.1.0." + (i + 1), "/v1/chat/completions"));
        }

        List<Verdict> verdicts = decideAllOnceParked(burst, reads);

        assertThat(verdicts).filteredOn(Verdict.Bind.class::isInstance).hasSize(1);
        assertThat(verdicts).filteredOn(Verdict.Intercept.class::isInstance).hasSize(49);
        assertThat(store.reads).hasValue(1);
        assertThat(store.bindCalls).hasValue(1);
        assertThat(quota.acquisitions).hasValue(1);
        assertThat(store.size()).isEqualTo(1);
        assertThat(intercepts.rows).hasSize(49);
    }

    @Test
    void aBurstFromTheWinnersNetworkIsAllowedAgainstTheBindingItsFirstRequestMade()
            throws Exception {
        CountDownLatch reads = store.holdReads();
        List<AccessAttempt> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(attempt("10.2.0.7", "/v1/chat/completions"));
        }

        List<Verdict> verdicts = decideAllOnceParked(burst, reads);

        assertThat(verdicts).filteredOn(Verdict.Bind.class::isInstance).hasSize(1);
        assertThat(verdicts).filteredOn(Verdict.Allow.class::isInstance).hasSize(19);
        assertThat(store.reads).hasValue(1);
        assertThat(store.bindCalls).hasValue(1);
    }

    @Test
    void aBurstOfABoundKeyMissingFromTheCacheMakesOneRead() throws Exception {
        Binding bound = store.save(new Binding(0, HASH, KEY.hint(),
                List.of(Cidr.parse("10.3.0.0/24")), BindingStatus.ACTIVE, false,
                START.minus(Duration.ofDays(1)), START.minus(Duration.ofDays(1)),
                Optional.of(IpAddress.of("10.3.0.1")), "", 0));
        CountDownLatch reads = store.holdReads();
        List<AccessAttempt> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(attempt(i % 2 == 0 ? "10.3.0." + (i + 1) : "10.4.0." + (i + 1),
                    "/v1/models"));
        }

        List<Verdict> verdicts = decideAllOnceParked(burst, reads);

        assertThat(verdicts).filteredOn(Verdict.Allow.class::isInstance).hasSize(10);
        assertThat(verdicts).filteredOn(Verdict.Intercept.class::isInstance).hasSize(10);
        assertThat(store.reads).hasValue(1);
        assertThat(store.bindCalls).hasValue(0);
        assertThat(cache.entry(HASH)).map(entry -> entry.binding()).contains(bound);
    }

    @Test
    void whenTheSharedReadFindsTheStoreDownEveryWaiterFallsBackToTheFailsafe()
            throws Exception {
        CountDownLatch reads = store.holdReads();
        List<AccessAttempt> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            burst.add(attempt("10.5.0." + (i + 1), "/v1/chat/completions"));
        }
        store.goDown();

        List<Verdict> verdicts = decideAllOnceParked(burst, reads);

        assertThat(verdicts).containsOnly(
                new Verdict.Refuse(RefusalCode.FAILSAFE_CLOSED, Optional.empty()));
        assertThat(store.reads).hasValue(1);
        assertThat(store.bindCalls).hasValue(0);
    }

    @Test
    void waitersOfAnExemptRequestThatLeftTheKeyUnboundBindItThemselves() throws Exception {
        CountDownLatch reads = store.holdReads();
        Verdict[] exempt = new Verdict[1];
        Thread dashboard = Thread.ofPlatform().start(
                () -> exempt[0] = guard.check(attempt("10.6.0.1", "/api/usage/token")));
        awaitParked(List.of(dashboard));
        List<AccessAttempt> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            burst.add(attempt("10.6.1." + (i + 1), "/v1/chat/completions"));
        }

        List<Verdict> verdicts = decideAllOnceParked(burst, reads);
        dashboard.join();

        assertThat(exempt[0]).isInstanceOf(Verdict.PassUnbound.class);
        assertThat(verdicts).filteredOn(Verdict.Bind.class::isInstance).hasSize(1);
        assertThat(verdicts).filteredOn(Verdict.Intercept.class::isInstance).hasSize(9);
        assertThat(store.bindCalls).hasValue(1);
        assertThat(quota.acquisitions).hasValue(1);
    }

    /** Starts one thread per attempt, waits until all are parked, opens the store. */
    private List<Verdict> decideAllOnceParked(List<AccessAttempt> attempts,
            CountDownLatch reads) throws InterruptedException {
        AtomicReferenceArray<Verdict> verdicts = new AtomicReferenceArray<>(attempts.size());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            int index = i;
            threads.add(Thread.ofPlatform().start(
                    () -> verdicts.set(index, guard.check(attempts.get(index)))));
        }
        awaitParked(threads);

        reads.countDown();
        List<Verdict> decided = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            threads.get(i).join();
            decided.add(verdicts.get(i));
        }
        return decided;
    }

    private static void awaitParked(List<Thread> threads) {
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            Thread.onSpinWait();
        }
    }

    private static AccessAttempt attempt(String ip, String rawPath) {
        return new AccessAttempt(HASH, KEY.hint(), IpAddress.of(ip), "POST", rawPath,
                "openai-python/1.40");
    }
}
