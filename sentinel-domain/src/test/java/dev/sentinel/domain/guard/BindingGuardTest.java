package dev.sentinel.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.credential.ApiKey;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BindingGuardTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final TokenHasher HASHER =
            new TokenHasher("binding-guard-test-secret-0123456789");
    private static final ApiKey KEY = ApiKey.fromPasted("sk-GuardKey0123456789abcdefABCDEF");
    private static final TokenHash HASH = HASHER.identify(KEY);

    private final Recorders.Clock clock = new Recorders.Clock(START);
    private final InMemoryBindingStore store = new InMemoryBindingStore();
    private final InMemoryBindingCache cache = new InMemoryBindingCache(clock);
    private final InMemoryBindQuota quota = new InMemoryBindQuota();
    private final Recorders.InterceptRows intercepts = new Recorders.InterceptRows();
    private final Recorders.LastSeen lastSeen = new Recorders.LastSeen();
    private final Recorders.Events events = new Recorders.Events();
    private final AtomicReference<GuardSettings> settings =
            new AtomicReference<>(GuardSettings.DEFAULT);
    private final BindingGuard guard = BindingGuard.builder()
            .store(store)
            .cache(cache)
            .interceptLog(intercepts)
            .quota(quota)
            .lastSeen(lastSeen)
            .clock(clock)
            .settings(settings::get)
            .listener(events)
            .build();

    // --- caches and stores ---

    @Test
    void aFreshCacheEntryDecidesWithoutTouchingTheStore() {
        Binding binding = store.save(binding("203.0.113.0/24"));
        cache.putCachedAt(binding, START.minusSeconds(299));
        store.goDown();

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isEqualTo(new Verdict.Allow(binding));
        assertThat(store.reads).hasValue(0);
        assertThat(events.lines).containsExactly("allowed");
    }

    @Test
    void herdOfCacheMissesForOneKeyReadsTheStoreOnce() throws InterruptedException {
        // Regression: 10,000 streams of one key whose cache entry had just expired each
        // asked PostgreSQL, exhausted its pool, and got 503 from the closed failsafe.
        Binding binding = store.save(binding("203.0.113.0/24"));
        store.holdReads();
        List<Verdict> verdicts = new CopyOnWriteArrayList<>();
        List<Thread> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(Thread.ofPlatform().start(
                    () -> verdicts.add(guard.check(attempt("203.0.113.9")))));
        }

        awaitAllWaiting(requests);
        assertThat(store.reads).hasValue(1);
        store.releaseReads();
        for (Thread request : requests) {
            request.join(10_000);
        }

        assertThat(verdicts).hasSize(20).containsOnly(new Verdict.Allow(binding));
        assertThat(cache.entry(HASH)).isPresent();
    }

    @Test
    void herdOfCacheMissesSharesTheStoresFailureAndFallsBackEachOnItsOwn()
            throws InterruptedException {
        store.save(binding("203.0.113.0/24"));
        store.holdReads();
        List<Verdict> verdicts = new CopyOnWriteArrayList<>();
        List<Thread> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(Thread.ofPlatform().start(
                    () -> verdicts.add(guard.check(attempt("203.0.113.9")))));
        }

        awaitAllWaiting(requests);
        store.goDown();
        store.releaseReads();
        for (Thread request : requests) {
            request.join(10_000);
        }

        // One read failed for all five; with no cache entry each is the failsafe's to decide.
        assertThat(store.reads).hasValue(1);
        assertThat(verdicts).hasSize(5).containsOnly(
                new Verdict.Refuse(RefusalCode.FAILSAFE_CLOSED, Optional.empty()));
    }

    /** Waits until every thread is parked: in the store's read, or waiting for it. */
    private static void awaitAllWaiting(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            assertThat(System.nanoTime()).as("threads parked in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void aFreshCacheEntryAlsoInterceptsWithoutTheStore() {
        Binding binding = store.save(binding("203.0.113.0/24"));
        cache.putCachedAt(binding, START);

        Verdict verdict = guard.check(attempt("198.51.100.1"));

        assertThat(verdict).isEqualTo(
                new Verdict.Intercept(InterceptReason.OUTSIDE_BOUND_NETWORKS, binding));
        assertThat(store.reads).hasValue(0);
    }

    @Test
    void anEntryAsOldAsTheFreshnessIsStale() {
        Binding cached = store.save(binding("203.0.113.0/24"));
        cache.putCachedAt(cached, START.minus(GuardSettings.DEFAULT.cacheFreshness()));

        guard.check(attempt("203.0.113.9"));

        assertThat(store.reads).hasValue(1);
    }

    @Test
    void aStaleEntryWithTheStoreUpIsDecidedByTheStoreAndTheCacheRefilled() {
        Binding old = binding("203.0.113.0/24").withId(1);
        cache.putCachedAt(old, START.minusSeconds(301));
        Binding current = store.save(binding("198.51.100.0/24"));
        clock.advance(Duration.ofSeconds(5));

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isEqualTo(
                new Verdict.Intercept(InterceptReason.OUTSIDE_BOUND_NETWORKS, current));
        assertThat(cache.entry(HASH)).get().satisfies(entry -> {
            assertThat(entry.binding()).isEqualTo(current);
            assertThat(entry.cachedAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void withoutAnyEntryTheStoreDecidesAndTheCacheIsFilled() {
        Binding binding = store.save(binding("203.0.113.0/24"));

        assertThat(guard.check(attempt("203.0.113.9"))).isEqualTo(new Verdict.Allow(binding));
        assertThat(cache.entry(HASH)).map(BindingCache.Cached::binding).contains(binding);
        assertThat(guard.check(attempt("203.0.113.9"))).isEqualTo(new Verdict.Allow(binding));
        assertThat(store.reads).hasValue(1);
    }

    @Test
    void aStaleEntryDecidesWhileTheStoreIsDown() {
        Binding binding = store.save(binding("203.0.113.0/24"));
        cache.putCachedAt(binding, START.minus(Duration.ofHours(3)));
        store.goDown();

        assertThat(guard.check(attempt("203.0.113.9"))).isEqualTo(new Verdict.Allow(binding));
        assertThat(guard.check(attempt("198.51.100.1"))).isEqualTo(
                new Verdict.Intercept(InterceptReason.OUTSIDE_BOUND_NETWORKS, binding));
        assertThat(events.lines).containsExactly("stale entry used", "allowed",
                "stale entry used", "intercepted outside_bound_networks");
    }

    @Test
    void withNoEntryAndTheStoreDownTheClosedModeRefuses() {
        store.goDown();

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isEqualTo(
                new Verdict.Refuse(RefusalCode.FAILSAFE_CLOSED, Optional.empty()));
        assertThat(verdict.forwards()).isFalse();
        assertThat(events.lines).containsExactly("failsafe closed");
        assertThat(events.failures).singleElement()
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void withNoEntryAndTheStoreDownTheOpenModeForwardsUnchecked() {
        settings.set(GuardSettings.DEFAULT.withFailsafeMode(FailsafeMode.OPEN));
        store.goDown();

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isEqualTo(new Verdict.FailsafeOpen());
        assertThat(verdict.forwards()).isTrue();
        assertThat(events.lines).containsExactly("failsafe open");
        assertThat(quota.acquisitions).hasValue(0);
        assertThat(lastSeen.uses).isEmpty();
    }

    @Test
    void aStoreThatFailsWhileBindingFallsBackToTheFailsafeAndRefundsTheGrant() {
        store.failInserts();

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isEqualTo(
                new Verdict.Refuse(RefusalCode.FAILSAFE_CLOSED, Optional.empty()));
        assertThat(quota.refunds).hasSize(1);
        assertThat(quota.taken(Cidr.parse("203.0.113.9/32"))).isZero();
    }

    // --- first use ---

    @Test
    void anUnboundKeyOnAnExemptPathPassesAndNothingIsWritten() {
        Verdict verdict = guard.check(attempt("203.0.113.9", "/api/usage/token/"));

        assertThat(verdict).isEqualTo(new Verdict.PassUnbound());
        assertThat(verdict.forwards()).isTrue();
        assertThat(store.size()).isZero();
        assertThat(cache.entry(HASH)).isEmpty();
        assertThat(quota.acquisitions).hasValue(0);
        assertThat(events.lines).containsExactly("passed unbound");
    }

    @Test
    void aBoundKeyIsEnforcedOnAnExemptPath() {
        Binding binding = store.save(binding("203.0.113.0/24"));

        assertThat(guard.check(attempt("198.51.100.1", "/api/usage/token/"))).isEqualTo(
                new Verdict.Intercept(InterceptReason.OUTSIDE_BOUND_NETWORKS, binding));
        assertThat(guard.check(attempt("203.0.113.1", "/api/usage/token/")))
                .isEqualTo(new Verdict.Allow(binding));
    }

    @Test
    void aMidjourneyPathUnderTheExemptPrefixStillBinds() {
        assertThat(guard.check(attempt("203.0.113.9", "/api/mj/submit/imagine")))
                .isInstanceOf(Verdict.Bind.class);
    }

    @Test
    void aFirstUseFromIpv4BindsTheSlash32() {
        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Bind.class, bind -> {
            Binding created = bind.binding();
            assertThat(created.id()).isPositive();
            assertThat(created.tokenHash()).isEqualTo(HASH);
            assertThat(created.hint()).isEqualTo(KEY.hint());
            assertThat(created.rules()).containsExactly(Cidr.parse("203.0.113.9/32"));
            assertThat(created.status()).isEqualTo(BindingStatus.ACTIVE);
            assertThat(created.boundAt()).isEqualTo(START);
            assertThat(created.lastIp()).contains(IpAddress.of("203.0.113.9"));
            assertThat(store.row(HASH)).contains(created);
        });
        assertThat(verdict.forwards()).isTrue();
        assertThat(quota.taken(Cidr.parse("203.0.113.9/32"))).isEqualTo(1);
        assertThat(events.lines).containsExactly("bound [203.0.113.9/32]");
    }

    @Test
    void aFirstUseFromIpv6BindsTheSlash64() {
        Verdict verdict = guard.check(attempt("2001:db8:1:2:3:4:5:6"));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Bind.class, bind ->
                assertThat(bind.binding().rules())
                        .containsExactly(Cidr.parse("2001:db8:1:2::/64")));
        assertThat(guard.check(attempt("2001:db8:1:2:ffff::1"))).isInstanceOf(Verdict.Allow.class);
        assertThat(guard.check(attempt("2001:db8:1:3::1"))).isInstanceOf(Verdict.Intercept.class);
    }

    @Test
    void aFirstUseFromAMappedAddressBindsTheIpv4Address() {
        Verdict verdict = guard.check(attempt("::ffff:203.0.113.9"));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Bind.class, bind ->
                assertThat(bind.binding().rules())
                        .containsExactly(Cidr.parse("203.0.113.9/32")));
    }

    @Test
    void aFirstUseIsCachedAtOnceAndItsUndoEmptiesTheCache() {
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));

        assertThat(cache.entry(HASH)).map(BindingCache.Cached::binding)
                .contains(bind.binding());
        guard.settleUnanswered(bind, "downstream timed out");
        assertThat(cache.entry(HASH)).isEmpty();
    }

    @Test
    void aRaceLostToTheSameNetworkIsAllowedAndItsGrantRefunded() {
        Binding winner = binding("203.0.113.9/32");
        store.loseNextRaceTo(winner);

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Allow.class, allow ->
                assertThat(allow.binding().rules()).isEqualTo(winner.rules()));
        assertThat(store.inserts).hasValue(0);
        assertThat(quota.refunds).hasSize(1);
        assertThat(quota.taken(Cidr.parse("203.0.113.9/32"))).isZero();
        assertThat(cache.entry(HASH)).isPresent();
        assertThat(lastSeen.uses).hasSize(1);
    }

    @Test
    void aRaceLostToAnotherNetworkIsIntercepted() {
        store.loseNextRaceTo(binding("198.51.100.7/32"));

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Intercept.class, intercept ->
                assertThat(intercept.reason()).isEqualTo(InterceptReason.OUTSIDE_BOUND_NETWORKS));
        assertThat(quota.refunds).hasSize(1);
        assertThat(intercepts.rows).hasSize(1);
    }

    @Test
    void concurrentFirstUsesFromManyNetworksBindExactlyOnce() throws Exception {
        List<Future<Verdict>> verdicts = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                String ip = "10.0." + (i / 250) + "." + (i % 250 + 1);
                verdicts.add(threads.submit(() -> guard.check(attempt(ip))));
            }
        }

        List<Verdict> outcomes = new ArrayList<>();
        for (Future<Verdict> verdict : verdicts) {
            outcomes.add(verdict.get());
        }
        assertThat(outcomes).filteredOn(Verdict.Bind.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(Verdict.Intercept.class::isInstance).hasSize(199);
        assertThat(store.size()).isEqualTo(1);
        int taken = 0;
        for (int i = 0; i < 200; i++) {
            taken += quota.taken(Cidr.parse("10.0." + (i / 250) + "." + (i % 250 + 1) + "/32"));
        }
        assertThat(taken).as("grants kept: lost races give theirs back").isEqualTo(1);
    }

    @Test
    void anExhaustedNetworkCannotBindButItsBoundKeysKeepWorking() {
        settings.set(GuardSettings.DEFAULT.withBindsPerMinute(1));
        TokenHash other = HASHER.identify(ApiKey.fromPasted("sk-AnotherKey42"));
        assertThat(guard.check(attemptWith(other, "203.0.113.9"))).isInstanceOf(Verdict.Bind.class);
        Binding bound = store.save(binding("203.0.113.9/32"));

        Verdict refused = guard.check(attemptWith(
                HASHER.identify(ApiKey.fromPasted("sk-ThirdKey7")), "203.0.113.9"));

        assertThat(refused).isEqualTo(new Verdict.Refuse(RefusalCode.BIND_RATE_LIMITED,
                Optional.of(InMemoryBindQuota.RETRY_AFTER)));
        assertThat(refused.forwards()).isFalse();
        assertThat(store.size()).isEqualTo(2);
        assertThat(events.lines).contains("refused bind_rate_limited");
        assertThat(guard.check(attempt("203.0.113.9"))).isEqualTo(new Verdict.Allow(bound));
    }

    @Test
    void aLimitOfZeroMeansUnlimited() {
        settings.set(GuardSettings.DEFAULT.withBindsPerMinute(0));

        for (int i = 0; i < 100; i++) {
            TokenHash key = HASHER.identify(ApiKey.fromPasted("sk-Many" + i));
            assertThat(guard.check(attemptWith(key, "203.0.113.9")))
                    .isInstanceOf(Verdict.Bind.class);
        }
        assertThat(quota.acquisitions).hasValue(0);
    }

    // --- judging a binding ---

    @Test
    void aBannedKeyIsInterceptedEvenInsideItsNetwork() {
        Binding banned = store.save(new Binding(0, HASH, KEY.hint(),
                List.of(Cidr.parse("203.0.113.0/24")), BindingStatus.BANNED, true, START, START,
                Optional.of(IpAddress.of("203.0.113.9")), "resold", 3));

        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isEqualTo(new Verdict.Intercept(InterceptReason.BANNED, banned));
        assertThat(verdict.forwards()).isFalse();
        assertThat(intercepts.rows).singleElement()
                .extracting(Intercept::reason).isEqualTo(InterceptReason.BANNED);
        assertThat(lastSeen.uses).isEmpty();
    }

    @Test
    void anInterceptWritesExactlyOneRowWithTheRequestsFacts() {
        Binding binding = store.save(binding("203.0.113.0/24", "2001:db8::/48"));
        clock.advance(Duration.ofMinutes(3));

        guard.check(new AccessAttempt(HASH, KEY.hint(), IpAddress.of("198.51.100.1"), "GET",
                "/v1beta/models/gemini-pro:generateContent", "google-genai/1.0"));

        assertThat(intercepts.rows).containsExactly(new Intercept(START.plusSeconds(180), HASH,
                binding.hint(), IpAddress.of("198.51.100.1"), binding.rules(), "GET",
                "/v1beta/models/gemini-pro:generateContent", "google-genai/1.0",
                InterceptReason.OUTSIDE_BOUND_NETWORKS));
        assertThat(events.lines).containsExactly("intercepted outside_bound_networks");
    }

    @Test
    void anInterceptRowNeverHoldsTheQueryString() {
        // A path handed over with its query went into the intercept row as it was, so a key
        // sent as ?key=sk-... was stored in clear. The query is cut off where the path enters
        // the domain, and the row holds the path alone.
        store.save(binding("203.0.113.0/24"));
        String secret = "sk-LeakedInQuery0123456789abcdef";

        guard.check(new AccessAttempt(HASH, KEY.hint(), IpAddress.of("198.51.100.1"), "POST",
                "/v1beta/models/gemini-pro:streamGenerateContent?alt=sse&key=" + secret,
                "google-genai/1.0"));

        assertThat(intercepts.rows).singleElement().satisfies(row -> {
            assertThat(row.path()).isEqualTo("/v1beta/models/gemini-pro:streamGenerateContent");
            assertThat(row.toString()).doesNotContain("LeakedInQuery");
        });
    }

    @Test
    void neitherAnAttemptNorAnInterceptKeepsAQuery() {
        // Same defect as above, seen from the values: both promised "without the query" and
        // kept whatever they were given. Both now drop everything from the first '?'.
        AccessAttempt attempt = new AccessAttempt(HASH, KEY.hint(), IpAddress.of("192.0.2.1"),
                "GET", "/v1/models?key=sk-abc", "");
        Intercept row = new Intercept(START, HASH, KEY.hint(), IpAddress.of("192.0.2.1"),
                List.of(), "GET", "/v1/models?key=sk-abc", "", InterceptReason.BANNED);

        assertThat(attempt.rawPath()).isEqualTo("/v1/models");
        assertThat(row.path()).isEqualTo("/v1/models");
    }

    @Test
    void allowedUsesReachTheLastSeenRecorder() {
        Binding binding = store.save(binding("203.0.113.0/24"));

        guard.check(attempt("203.0.113.9"));
        clock.advance(Duration.ofSeconds(1));
        guard.check(attempt("203.0.113.10"));
        guard.check(attempt("198.51.100.1"));

        assertThat(lastSeen.uses).containsExactly(
                new Recorders.Seen(HASH, IpAddress.of("203.0.113.9"), START),
                new Recorders.Seen(HASH, IpAddress.of("203.0.113.10"), START.plusSeconds(1)));
        assertThat(binding.allows(IpAddress.of("203.0.113.10"))).isTrue();
    }

    // --- settling a first use ---

    @Test
    void a401FromNewApiUndoesTheFirstUse() {
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));
        cache.put(bind.binding());

        guard.settle(bind, 401);

        assertThat(store.row(HASH)).isEmpty();
        assertThat(cache.entry(HASH)).isEmpty();
        assertThat(events.lines).contains("undone: downstream answered 401");
        assertThat(quota.taken(Cidr.parse("203.0.113.9/32")))
                .as("an undone insert still counts").isEqualTo(1);
    }

    @Test
    void anyOtherAnswerKeepsTheFirstUseAndCachesIt() {
        for (int status : new int[] {200, 400, 403, 429, 500}) {
            TokenHash key = HASHER.identify(ApiKey.fromPasted("sk-Status" + status));
            Verdict.Bind bind = (Verdict.Bind) guard.check(attemptWith(key, "203.0.113.9"));

            guard.settle(bind, status);

            assertThat(store.row(key)).as("status %d", status).contains(bind.binding());
            assertThat(cache.entry(key)).map(BindingCache.Cached::binding)
                    .contains(bind.binding());
        }
    }

    @Test
    void anAdminChangeWhileNewApiAnswersAFirstUseIsNotUndoneBySettling() {
        // settle once cached the binding this request had created, even when an admin had
        // banned the key while New API was answering, so the admin's eviction was undone and
        // the old binding allowed the key for a whole cache freshness. The binding is now
        // cached when it is made, before New API answers, and settling caches nothing.
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));
        Binding created = bind.binding();
        assertThat(cache.entry(HASH)).map(BindingCache.Cached::binding).contains(created);
        Binding banned = new Binding(created.id(), HASH, created.hint(), created.rules(),
                BindingStatus.BANNED, false, created.boundAt(), created.lastSeenAt(),
                created.lastIp(), "resold", 1);
        store.overwrite(banned);
        cache.evict(HASH);

        guard.settle(bind, 200);

        assertThat(cache.entry(HASH)).isEmpty();
        assertThat(guard.check(attempt("203.0.113.9")))
                .isEqualTo(new Verdict.Intercept(InterceptReason.BANNED, banned));
    }

    @Test
    void aSuccessfulFirstUseOnADeadStoreKeepsItsCachedBindingAndDoesNotThrow() {
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));
        store.goDown();

        assertThatCode(() -> guard.settle(bind, 200)).doesNotThrowAnyException();

        assertThat(cache.entry(HASH)).map(BindingCache.Cached::binding)
                .contains(bind.binding());
        assertThat(guard.check(attempt("203.0.113.9")))
                .isEqualTo(new Verdict.Allow(bind.binding()));
    }

    @Test
    void noAnswerUndoesTheFirstUse() {
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));

        guard.settleUnanswered(bind, "downstream timed out");

        assertThat(store.row(HASH)).isEmpty();
        assertThat(events.lines).contains("undone: downstream timed out");
        assertThat(guard.check(attempt("198.51.100.1"))).isInstanceOf(Verdict.Bind.class);
    }

    @Test
    void anUndoOnADeadStoreIsReportedAndDoesNotThrow() {
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));
        store.goDown();

        assertThatCode(() -> guard.settle(bind, 401)).doesNotThrowAnyException();
        assertThatCode(() -> guard.settleUnanswered(bind, "client went away"))
                .doesNotThrowAnyException();

        assertThat(events.lines).containsSubsequence("undo failed", "undo failed")
                .noneMatch(line -> line.startsWith("undone"));
        assertThat(events.failures).hasSize(2)
                .allMatch(StoreUnavailableException.class::isInstance);
        store.comeBack();
        assertThat(store.row(HASH)).contains(bind.binding());
    }

    @Test
    void aFirstUseAnAdminChangedMeanwhileIsNotReportedAsUndone() {
        // When the store kept the row because an admin had edited it since the first use, the
        // guard still told its listener the first use was undone, so the log contradicted the
        // database. Only a row the store really deleted is reported as undone.
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));
        Binding created = bind.binding();
        Binding edited = new Binding(created.id(), HASH, created.hint(),
                List.of(Cidr.parse("203.0.113.0/24")), BindingStatus.ACTIVE, true,
                created.boundAt(), created.lastSeenAt(), created.lastIp(), "office", 1);
        store.overwrite(edited);

        guard.settle(bind, 401);

        assertThat(store.row(HASH)).contains(edited);
        assertThat(events.lines).noneMatch(line -> line.startsWith("undone"));
    }

    @Test
    void settlingRefusesNulls() {
        assertThatThrownBy(() -> guard.settle(null, 200))
                .isInstanceOf(NullPointerException.class).hasMessage("bind");
        Verdict.Bind bind = (Verdict.Bind) guard.check(attempt("203.0.113.9"));
        assertThatThrownBy(() -> guard.settleUnanswered(bind, null))
                .isInstanceOf(NullPointerException.class).hasMessage("why");
        assertThatThrownBy(() -> guard.check(null))
                .isInstanceOf(NullPointerException.class).hasMessage("attempt");
    }

    // --- settings ---

    @Test
    void settingsChangedThroughTheSupplierApplyToTheNextDecision() {
        store.goDown();
        assertThat(guard.check(attempt("203.0.113.9"))).isInstanceOf(Verdict.Refuse.class);
        settings.set(GuardSettings.DEFAULT.withFailsafeMode(FailsafeMode.OPEN));
        assertThat(guard.check(attempt("203.0.113.9"))).isInstanceOf(Verdict.FailsafeOpen.class);
        store.comeBack();

        settings.set(GuardSettings.DEFAULT.withBindPrefixes(new BindPrefixes(24, 48)));
        Verdict verdict = guard.check(attempt("203.0.113.9"));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Bind.class, bind ->
                assertThat(bind.binding().rules()).containsExactly(Cidr.parse("203.0.113.0/24")));
    }

    @Test
    void aShorterFreshnessMakesAnEntryStaleAtOnce() {
        Binding binding = store.save(binding("203.0.113.0/24"));
        cache.putCachedAt(binding, START.minusSeconds(10));
        guard.check(attempt("203.0.113.9"));
        assertThat(store.reads).hasValue(0);

        settings.set(new GuardSettings(BindPrefixes.DEFAULT, GuardSettings.DEFAULT.exemptPaths(),
                60, FailsafeMode.CLOSED, Duration.ofSeconds(5)));
        guard.check(attempt("203.0.113.9"));

        assertThat(store.reads).hasValue(1);
    }

    @Test
    void aGuardNeedsEveryPort() {
        assertThatThrownBy(() -> BindingGuard.builder().cache(cache).interceptLog(intercepts)
                .quota(quota).lastSeen(lastSeen).build())
                .isInstanceOf(NullPointerException.class).hasMessage("store");
        assertThatThrownBy(() -> BindingGuard.builder().store(store).interceptLog(intercepts)
                .quota(quota).lastSeen(lastSeen).build())
                .isInstanceOf(NullPointerException.class).hasMessage("cache");
    }

    // --- helpers ---

    private static AccessAttempt attempt(String ip) {
        return attempt(ip, "/v1/chat/completions");
    }

    private static AccessAttempt attempt(String ip, String rawPath) {
        return new AccessAttempt(HASH, KEY.hint(), IpAddress.of(ip), "POST", rawPath,
                "openai-python/1.40");
    }

    private static AccessAttempt attemptWith(TokenHash key, String ip) {
        return new AccessAttempt(key, "sk-…", IpAddress.of(ip), "POST", "/v1/chat/completions",
                "curl/8.5");
    }

    private static Binding binding(String... rules) {
        List<Cidr> networks = Arrays.stream(rules).map(Cidr::parse).toList();
        return new Binding(0, HASH, KEY.hint(), networks, BindingStatus.ACTIVE, false,
                START.minus(Duration.ofDays(1)), START.minus(Duration.ofDays(1)),
                Optional.of(networks.get(0).network()), "", 0);
    }
}
