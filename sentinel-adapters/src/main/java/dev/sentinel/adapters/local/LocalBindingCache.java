package dev.sentinel.adapters.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingCache;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Bindings cached in this process only.
 *
 * <p>Thread-safe.
 */
final class LocalBindingCache implements BindingCache {

    private final Cache<TokenHash, Cached> entries;
    private final InstantSource clock;

    LocalBindingCache(Duration lifetime, long maximumSize, InstantSource clock) {
        this.entries = Caffeine.newBuilder()
                .expireAfterWrite(lifetime)
                .maximumSize(maximumSize)
                .build();
        this.clock = clock;
    }

    @Override
    public Optional<Cached> get(TokenHash tokenHash) {
        return Optional.ofNullable(entries.getIfPresent(Objects.requireNonNull(tokenHash,
                "tokenHash")));
    }

    @Override
    public void put(Binding binding) {
        Objects.requireNonNull(binding, "binding");
        entries.put(binding.tokenHash(), new Cached(binding, clock.instant()));
    }

    @Override
    public void evict(TokenHash tokenHash) {
        entries.invalidate(Objects.requireNonNull(tokenHash, "tokenHash"));
    }
}
