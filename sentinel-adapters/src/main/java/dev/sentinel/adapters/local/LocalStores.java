package dev.sentinel.adapters.local;

import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginPolicy;
import dev.sentinel.domain.port.BindQuota;
import dev.sentinel.domain.port.BindingCache;
import dev.sentinel.domain.port.InterceptCounter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * In-process stores for a single Sentinel without Redis. They are correct only while one
 * process serves all traffic: nothing is shared between replicas.
 *
 * <p>Thread-safe: stateless; what it creates is thread-safe too.
 */
public final class LocalStores {

    /** The most bindings the in-process cache holds before evicting the least used. */
    public static final long MAX_CACHED_BINDINGS = 100_000;

    private LocalStores() {
    }

    /**
     * Creates an in-process binding cache. Entries are kept for the freshness TTL plus the
     * stale grace, because while PostgreSQL is down a stale entry still decides; the guard
     * judges freshness by {@link BindingCache.Cached#cachedAt()}.
     *
     * @param freshness how long an entry decides without asking the store
     * @param staleGrace how much longer it is kept for outages
     * @param clock the source of {@code cachedAt}
     * @return the cache
     */
    public static BindingCache bindingCache(Duration freshness, Duration staleGrace,
            InstantSource clock) {
        Duration lifetime = requireNotNegative(freshness, "freshness")
                .plus(requireNotNegative(staleGrace, "staleGrace"));
        if (lifetime.isZero()) {
            throw new IllegalArgumentException("a cache entry lifetime of 0 caches nothing: "
                    + "expected a positive freshness or stale grace");
        }
        return new LocalBindingCache(lifetime, MAX_CACHED_BINDINGS,
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Creates an in-process sliding-minute counter of new bindings per network.
     *
     * @param clock the time the window slides by
     * @return the counter
     */
    public static BindQuota bindQuota(InstantSource clock) {
        return new LocalBindQuota(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Creates an in-process counter of admin login attempts.
     *
     * @param policy attempts, window and lockout
     * @param clock the time windows and lockouts follow
     * @return the counter
     */
    public static LoginAttempts loginAttempts(LoginPolicy policy, InstantSource clock) {
        return new LocalLoginAttempts(policy, clock);
    }

    /**
     * Creates an in-process counter of intercepts per key and alert window. Each process
     * counts and claims windows on its own.
     *
     * @return the counter
     */
    public static InterceptCounter interceptCounter() {
        return new LocalInterceptCounter();
    }

    private static Duration requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " " + value + " is negative");
        }
        return value;
    }
}
