package dev.sentinel.app.observe;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingCache;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Counts binding cache lookups as {@code sentinel_cache_lookups_total{result}}: a
 * {@code hit} is an entry fresh enough to decide alone, {@code stale} an entry past its
 * freshness (the store is asked, or it stands in while the store is down), {@code miss} no
 * entry. Hits over all lookups is the cache hit ratio.
 *
 * <p>Thread-safe when the cache it wraps is.
 */
public final class MeteredBindingCache implements BindingCache {

    private static final String LOOKUPS = "sentinel.cache.lookups";
    private static final String LOOKUPS_DESCRIPTION =
            "Binding cache lookups: hit (fresh), stale, miss";

    private final BindingCache cache;
    private final InstantSource clock;
    private final Supplier<Duration> freshness;
    private final Counter hits;
    private final Counter stale;
    private final Counter misses;

    /**
     * Wraps a cache.
     *
     * @param cache the cache
     * @param metrics where to count
     * @param clock the clock the guard judges freshness by
     * @param freshness how long an entry decides alone, as the guard reads it
     */
    public MeteredBindingCache(BindingCache cache, SentinelMetrics metrics, InstantSource clock,
            Supplier<Duration> freshness) {
        this.cache = Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.hits = metrics.counter(LOOKUPS, LOOKUPS_DESCRIPTION, "result", "hit");
        this.stale = metrics.counter(LOOKUPS, LOOKUPS_DESCRIPTION, "result", "stale");
        this.misses = metrics.counter(LOOKUPS, LOOKUPS_DESCRIPTION, "result", "miss");
    }

    @Override
    public Optional<Cached> get(TokenHash tokenHash) {
        Optional<Cached> entry = cache.get(tokenHash);
        Counter result;
        if (entry.isEmpty()) {
            result = misses;
        } else if (entry.get().cachedAt().plus(freshness.get()).isAfter(clock.instant())) {
            result = hits;
        } else {
            result = stale;
        }
        result.increment();
        return entry;
    }

    @Override
    public void put(Binding binding) {
        cache.put(binding);
    }

    @Override
    public void evict(TokenHash tokenHash) {
        cache.evict(tokenHash);
    }
}
