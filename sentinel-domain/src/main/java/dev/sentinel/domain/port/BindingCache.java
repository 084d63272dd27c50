package dev.sentinel.domain.port;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import java.time.Instant;
import java.util.Optional;

/**
 * A cache of bindings in front of the {@link BindingStore} (Redis shared by replicas, and a
 * short per-process cache in Sentinel's own adapters).
 *
 * <p>Implementations must be thread-safe and never throw: an unreachable cache is a miss.
 * They should keep entries past the freshness TTL for a while, because while the store is
 * down a stale entry still decides (the guard judges freshness, not the cache).
 */
public interface BindingCache {

    /**
     * Looks a binding up.
     *
     * @param tokenHash the key's identity
     * @return the entry and when it was cached, or empty on a miss or when unreachable
     */
    Optional<Cached> get(TokenHash tokenHash);

    /**
     * Caches a binding read from, or just written to, the store.
     *
     * @param binding the binding
     */
    void put(Binding binding);

    /**
     * Drops a key's entry everywhere this cache reaches (other replicas included).
     *
     * @param tokenHash the key's identity
     */
    void evict(TokenHash tokenHash);

    /**
     * A cache entry.
     *
     * @param binding the binding
     * @param cachedAt when it was read from the store
     */
    record Cached(Binding binding, Instant cachedAt) {
    }
}
