package dev.sentinel.domain.guard;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingCache;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A cache that keeps entries until evicted, stamped with the test clock. */
final class InMemoryBindingCache implements BindingCache {

    private final Map<TokenHash, Cached> entries = new ConcurrentHashMap<>();
    private final InstantSource clock;

    InMemoryBindingCache(InstantSource clock) {
        this.clock = clock;
    }

    /** Puts an entry as if it had been cached at the given time. */
    void putCachedAt(Binding binding, Instant cachedAt) {
        entries.put(binding.tokenHash(), new Cached(binding, cachedAt));
    }

    Optional<Cached> entry(TokenHash tokenHash) {
        return Optional.ofNullable(entries.get(tokenHash));
    }

    @Override
    public Optional<Cached> get(TokenHash tokenHash) {
        return Optional.ofNullable(entries.get(tokenHash));
    }

    @Override
    public void put(Binding binding) {
        entries.put(binding.tokenHash(), new Cached(binding, clock.instant()));
    }

    @Override
    public void evict(TokenHash tokenHash) {
        entries.remove(tokenHash);
    }
}
