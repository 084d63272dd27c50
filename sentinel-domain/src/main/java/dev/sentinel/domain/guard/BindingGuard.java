package dev.sentinel.domain.guard;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.port.BindQuota;
import dev.sentinel.domain.port.BindingCache;
import dev.sentinel.domain.port.BindingStore;
import dev.sentinel.domain.port.GuardListener;
import dev.sentinel.domain.port.InterceptLog;
import dev.sentinel.domain.port.LastSeenRecorder;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decides, for one keyed request, whether it is allowed, binds its key, or is stopped.
 *
 * <p>The decision for a key:
 * <ol>
 *   <li>A fresh cache entry decides at once.</li>
 *   <li>Otherwise the store decides, and the cache is filled. If the store cannot answer, a
 *       stale cache entry decides; with none, the failsafe mode does.</li>
 *   <li>An unbound key on an exempt path passes without a binding.</li>
 *   <li>An unbound key takes one new binding from its network's allowance, then binds
 *       atomically: the store inserts unless a row exists, and re-reads. Exactly one
 *       concurrent first use wins; a loser gives its allowance back and is judged against
 *       the winner's binding like any later request.</li>
 *   <li>A new binding is cached at once, and stays only if New API accepts the request: the
 *       caller reports the answer to {@link #settle}, and a 401 or no answer deletes that
 *       row and its cache entry again.</li>
 * </ol>
 *
 * <p>Concurrent decisions for one key share one store call: the first request past the
 * cache asks the store (and binds, when it may), the others wait for what it learned and
 * are judged against that binding. Only when it learned nothing they can use (the key is
 * still unbound because its path was exempt or its network's allowance spent) does each ask
 * the store again.
 *
 * <p>Thread-safe; the only state it holds is the store calls in progress.
 */
public final class BindingGuard {

    /** How often a request waits for another's store call before it asks on its own. */
    private static final int SHARED_ROUNDS = 3;

    private final BindingStore store;
    private final BindingCache cache;
    private final InterceptLog interceptLog;
    private final BindQuota quota;
    private final LastSeenRecorder lastSeen;
    private final InstantSource clock;
    private final Supplier<GuardSettings> settings;
    private final GuardListener listener;
    private final ConcurrentHashMap<TokenHash, CompletableFuture<Resolution>> flights =
            new ConcurrentHashMap<>();

    private BindingGuard(Builder builder) {
        this.store = Objects.requireNonNull(builder.store, "store");
        this.cache = Objects.requireNonNull(builder.cache, "cache");
        this.interceptLog = Objects.requireNonNull(builder.interceptLog, "interceptLog");
        this.quota = Objects.requireNonNull(builder.quota, "quota");
        this.lastSeen = Objects.requireNonNull(builder.lastSeen, "lastSeen");
        this.clock = Objects.requireNonNull(builder.clock, "clock");
        this.settings = Objects.requireNonNull(builder.settings, "settings");
        this.listener = Objects.requireNonNull(builder.listener, "listener");
    }

    /** Returns a builder; every port must be given, the listener is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides one keyed request.
     *
     * @param attempt the request
     * @return the verdict; never throws for a store failure
     */
    public Verdict check(AccessAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        GuardSettings current = settings.get();
        Instant now = clock.instant();

        // A fresh cache entry decides without a store round trip: the warm path.
        Optional<BindingCache.Cached> cached = cache.get(attempt.tokenHash());
        if (cached.isPresent() && isFresh(cached.get(), now, current)) {
            return judge(attempt, cached.get().binding(), now);
        }

        // A burst of one key (a client's first requests) asks the store once, not once each.
        for (int round = 0; round < SHARED_ROUNDS; round++) {
            CompletableFuture<Resolution> flight = new CompletableFuture<>();
            CompletableFuture<Resolution> running =
                    flights.putIfAbsent(attempt.tokenHash(), flight);
            if (running == null) {
                return lead(attempt, current, now, cached, flight);
            }
            Resolution shared = running.join();
            if (!(shared instanceof Resolution.Unbound)) {
                return follow(attempt, current, now, cached, shared);
            }
        }

        // The key stayed unbound while others looked: an exempt path or a spent allowance
        // of their network says nothing about this request's.
        return decide(attempt, current, now, cached, new CompletableFuture<>());
    }

    /**
     * Decides for the request that asks the store on behalf of every concurrent request of
     * its key, and hands them what it learned, also when it fails.
     */
    private Verdict lead(AccessAttempt attempt, GuardSettings current, Instant now,
            Optional<BindingCache.Cached> cached, CompletableFuture<Resolution> flight) {
        try {
            return decide(attempt, current, now, cached, flight);
        } finally {
            flights.remove(attempt.tokenHash(), flight);
            flight.complete(new Resolution.Unbound());
        }
    }

    /** Decides from the store; reports what it learned to {@code learned}. */
    private Verdict decide(AccessAttempt attempt, GuardSettings current, Instant now,
            Optional<BindingCache.Cached> cached, CompletableFuture<Resolution> learned) {
        // The store is the authority; a stale entry only stands in while it is down.
        Optional<Binding> stored;
        try {
            stored = store.find(attempt.tokenHash());
        } catch (StoreUnavailableException e) {
            learned.complete(new Resolution.Unavailable(e));
            return fallBack(attempt, current, now, cached, e);
        }
        if (stored.isPresent()) {
            cache.put(stored.get());
            learned.complete(new Resolution.InForce(stored.get()));
            return judge(attempt, stored.get(), now);
        }

        // Dashboard paths read keys without spending them: never bind there.
        if (current.exemptPaths().isExempt(attempt.rawPath())) {
            listener.passedUnbound(attempt);
            return new Verdict.PassUnbound();
        }
        return firstUse(attempt, current, now, learned);
    }

    /** Decides a request that waited for another's store call, from what that call found. */
    private Verdict follow(AccessAttempt attempt, GuardSettings current, Instant now,
            Optional<BindingCache.Cached> cached, Resolution shared) {
        return switch (shared) {
            case Resolution.InForce inForce -> judge(attempt, inForce.binding(), now);
            case Resolution.Unavailable down -> fallBack(attempt, current, now, cached,
                    down.cause());
            case Resolution.Unbound unbound -> throw new IllegalStateException(
                    "an unbound key is decided by its own request");
        };
    }

    private Verdict fallBack(AccessAttempt attempt, GuardSettings current, Instant now,
            Optional<BindingCache.Cached> cached, StoreUnavailableException cause) {
        if (cached.isPresent()) {
            listener.staleEntryUsed(attempt);
            return judge(attempt, cached.get().binding(), now);
        }
        return failsafe(attempt, current, cause);
    }

    /**
     * Reports New API's answer to a request whose verdict was {@link Verdict.Bind}: a 401
     * means the key is no valid token, so its binding is undone; any other status keeps it
     * as it was cached when it was made.
     *
     * @param bind the verdict {@link #check} returned
     * @param downstreamStatus the HTTP status New API answered with
     */
    public void settle(Verdict.Bind bind, int downstreamStatus) {
        Objects.requireNonNull(bind, "bind");
        if (downstreamStatus == 401) {
            undo(bind.binding(), "downstream answered 401");
        }
    }

    /**
     * Reports that a request whose verdict was {@link Verdict.Bind} got no answer from New
     * API (unreachable, timed out, or abandoned): nothing proves the key valid, so its
     * binding is undone.
     *
     * @param bind the verdict {@link #check} returned
     * @param why what happened, for the log
     */
    public void settleUnanswered(Verdict.Bind bind, String why) {
        Objects.requireNonNull(bind, "bind");
        undo(bind.binding(), Objects.requireNonNull(why, "why"));
    }

    private Verdict firstUse(AccessAttempt attempt, GuardSettings current, Instant now,
            CompletableFuture<Resolution> learned) {
        Cidr network = current.bindPrefixes().networkOf(attempt.clientIp());

        // One network may not claim keys wholesale; its bound keys keep working.
        BindQuota.Granted grant = null;
        if (current.bindsPerMinute() > 0) {
            BindQuota.Grant outcome = quota.acquire(network, current.bindsPerMinute());
            if (outcome instanceof BindQuota.Exhausted exhausted) {
                listener.refused(attempt, RefusalCode.BIND_RATE_LIMITED);
                return new Verdict.Refuse(RefusalCode.BIND_RATE_LIMITED,
                        Optional.of(exhausted.retryAfter()));
            }
            grant = (BindQuota.Granted) outcome;
        }

        // Insert unless present, then re-read: exactly one concurrent first use wins.
        Binding candidate = Binding.firstUse(attempt.tokenHash(), attempt.hint(), network,
                attempt.clientIp(), now);
        BindingStore.FirstUse outcome;
        try {
            outcome = store.bindIfAbsent(candidate);
        } catch (StoreUnavailableException e) {
            refund(grant);
            learned.complete(new Resolution.Unavailable(e));
            return failsafe(attempt, current, e);
        }
        learned.complete(new Resolution.InForce(outcome.binding()));
        if (!outcome.created()) {
            refund(grant);
            cache.put(outcome.binding());
            return judge(attempt, outcome.binding(), now);
        }

        // Cached before New API answers, not after: an admin's change while it answers then
        // evicts this entry, where caching afterwards would bring the old binding back.
        cache.put(outcome.binding());
        listener.bound(attempt, outcome.binding());
        return new Verdict.Bind(outcome.binding());
    }

    private Verdict judge(AccessAttempt attempt, Binding binding, Instant now) {
        // A ban stops the key everywhere, even inside its networks.
        if (binding.status() == BindingStatus.BANNED) {
            return intercept(attempt, binding, InterceptReason.BANNED, now);
        }

        if (binding.allows(attempt.clientIp())) {
            lastSeen.allowed(attempt.tokenHash(), attempt.clientIp(), now);
            listener.allowed(attempt, binding);
            return new Verdict.Allow(binding);
        }
        return intercept(attempt, binding, InterceptReason.OUTSIDE_BOUND_NETWORKS, now);
    }

    private Verdict intercept(AccessAttempt attempt, Binding binding, InterceptReason reason,
            Instant now) {
        interceptLog.record(new Intercept(now, attempt.tokenHash(), binding.hint(),
                attempt.clientIp(), binding.rules(), attempt.method(),
                attempt.rawPath(), attempt.userAgent(), reason));
        listener.intercepted(attempt, binding, reason);
        return new Verdict.Intercept(reason, binding);
    }

    private Verdict failsafe(AccessAttempt attempt, GuardSettings current,
            StoreUnavailableException cause) {
        FailsafeMode mode = current.failsafeMode();
        listener.failsafe(attempt, mode, cause);
        return mode == FailsafeMode.OPEN
                ? new Verdict.FailsafeOpen()
                : new Verdict.Refuse(RefusalCode.FAILSAFE_CLOSED, Optional.empty());
    }

    private void undo(Binding created, String why) {
        boolean deleted;
        try {
            deleted = store.undoFirstUse(created);
        } catch (StoreUnavailableException e) {
            listener.undoFailed(created, e);
            return;
        }
        cache.evict(created.tokenHash());

        // A row an admin changed since is kept on purpose: nothing was undone.
        if (deleted) {
            listener.firstUseUndone(created, why);
        }
    }

    private void refund(BindQuota.Granted grant) {
        if (grant != null) {
            quota.refund(grant);
        }
    }

    private static boolean isFresh(BindingCache.Cached entry, Instant now,
            GuardSettings current) {
        return entry.cachedAt().plus(current.cacheFreshness()).isAfter(now);
    }

    /** What a store call learned about a key, handed to the requests that waited for it. */
    private sealed interface Resolution {

        /** The key's binding: found, just created, or created by another replica first. */
        record InForce(Binding binding) implements Resolution {
        }

        /** The store could not answer. */
        record Unavailable(StoreUnavailableException cause) implements Resolution {
        }

        /** The key is unbound and stays so for now. */
        record Unbound() implements Resolution {
        }
    }

    /** Collects the guard's ports. Not thread-safe; build once at start. */
    public static final class Builder {

        private BindingStore store;
        private BindingCache cache;
        private InterceptLog interceptLog;
        private BindQuota quota;
        private LastSeenRecorder lastSeen;
        private InstantSource clock = InstantSource.system();
        private Supplier<GuardSettings> settings = () -> GuardSettings.DEFAULT;
        private GuardListener listener = GuardListener.NONE;

        private Builder() {
        }

        /** Sets the authoritative binding store. */
        public Builder store(BindingStore value) {
            this.store = value;
            return this;
        }

        /** Sets the binding cache. */
        public Builder cache(BindingCache value) {
            this.cache = value;
            return this;
        }

        /** Sets the intercept log. */
        public Builder interceptLog(InterceptLog value) {
            this.interceptLog = value;
            return this;
        }

        /** Sets the new-binding allowance counter. */
        public Builder quota(BindQuota value) {
            this.quota = value;
            return this;
        }

        /** Sets the last-seen recorder. */
        public Builder lastSeen(LastSeenRecorder value) {
            this.lastSeen = value;
            return this;
        }

        /** Sets the clock; the system clock by default. */
        public Builder clock(InstantSource value) {
            this.clock = value;
            return this;
        }

        /** Sets where the current settings are read from; the defaults by default. */
        public Builder settings(Supplier<GuardSettings> value) {
            this.settings = value;
            return this;
        }

        /** Sets the listener; none by default. */
        public Builder listener(GuardListener value) {
            this.listener = value;
            return this;
        }

        /**
         * Builds the guard.
         *
         * @return the guard
         * @throws NullPointerException naming the first port not given
         */
        public BindingGuard build() {
            return new BindingGuard(this);
        }
    }
}
