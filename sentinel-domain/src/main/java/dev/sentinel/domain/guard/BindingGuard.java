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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decides, for one keyed request, whether it is allowed, binds its key, or is stopped.
 *
 * <p>The decision for a key:
 * <ol>
 *   <li>A fresh cache entry decides at once.</li>
 *   <li>Otherwise the store decides, and the cache is filled; concurrent requests for one
 *       key share one store read. If the store cannot answer, a stale cache entry decides;
 *       with none, the failsafe mode does.</li>
 *   <li>An unbound key on an exempt path passes without a binding.</li>
 *   <li>An unbound key takes one new binding from its network's allowance, then binds
 *       atomically: the store inserts unless a row exists, and re-reads. Exactly one
 *       concurrent first use wins; a loser gives its allowance back and is judged against
 *       the winner's binding like any later request.</li>
 *   <li>A new binding stays only if New API accepts the request: the caller reports the
 *       answer to {@link #settle}, and a 401 or no answer deletes that row again.</li>
 * </ol>
 *
 * <p>Thread-safe; it holds no per-request state.
 */
public final class BindingGuard {

    private final BindingStore store;
    private final BindingCache cache;
    private final InterceptLog interceptLog;
    private final BindQuota quota;
    private final LastSeenRecorder lastSeen;
    private final InstantSource clock;
    private final Supplier<GuardSettings> settings;
    private final GuardListener listener;
    private final ConcurrentHashMap<TokenHash, CompletableFuture<Optional<Binding>>> lookups =
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

        // The store is the authority; a stale entry only stands in while it is down.
        Optional<Binding> stored;
        try {
            stored = lookUp(attempt.tokenHash());
        } catch (StoreUnavailableException e) {
            if (cached.isPresent()) {
                listener.staleEntryUsed(attempt);
                return judge(attempt, cached.get().binding(), now);
            }
            return failsafe(attempt, current, e);
        }
        if (stored.isPresent()) {
            return judge(attempt, stored.get(), now);
        }

        // Dashboard paths read keys without spending them: never bind there.
        if (current.exemptPaths().isExempt(attempt.rawPath())) {
            listener.passedUnbound(attempt);
            return new Verdict.PassUnbound();
        }
        return firstUse(attempt, current, now);
    }

    /**
     * Reads a key's binding from the store and caches it. Requests that miss the cache for
     * the same key while a read is under way wait for that read instead of sending their
     * own: when a popular key's cache entry expires, thousands of requests would otherwise
     * ask the store at once, exhaust its connections and fall to the failsafe.
     */
    private Optional<Binding> lookUp(TokenHash tokenHash) {
        CompletableFuture<Optional<Binding>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Binding>> running = lookups.putIfAbsent(tokenHash, mine);
        if (running != null) {
            return awaitLookUp(running);
        }
        try {
            Optional<Binding> stored = store.find(tokenHash);
            stored.ifPresent(cache::put);
            mine.complete(stored);
            return stored;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            lookups.remove(tokenHash, mine);
        }
    }

    private static Optional<Binding> awaitLookUp(CompletableFuture<Optional<Binding>> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Reports New API's answer to a request whose verdict was {@link Verdict.Bind}: a 401
     * means the key is no valid token, so its binding is undone; any other status keeps it,
     * and the binding the store now holds is cached.
     *
     * @param bind the verdict {@link #check} returned
     * @param downstreamStatus the HTTP status New API answered with
     */
    public void settle(Verdict.Bind bind, int downstreamStatus) {
        Objects.requireNonNull(bind, "bind");
        if (downstreamStatus == 401) {
            undo(bind.binding(), "downstream answered 401");
            return;
        }

        // An admin may have changed the key while New API answered, and dropped the cache
        // entry: caching this request's own copy would bring the old binding back.
        Optional<Binding> inForce;
        try {
            inForce = store.find(bind.binding().tokenHash());
        } catch (StoreUnavailableException e) {
            // Nothing is lost: the next request asks the store, or falls back as usual.
            return;
        }
        inForce.ifPresent(cache::put);
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

    private Verdict firstUse(AccessAttempt attempt, GuardSettings current, Instant now) {
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
            return failsafe(attempt, current, e);
        }
        if (!outcome.created()) {
            refund(grant);
            cache.put(outcome.binding());
            return judge(attempt, outcome.binding(), now);
        }
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
