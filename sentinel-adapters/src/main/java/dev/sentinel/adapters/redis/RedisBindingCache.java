package dev.sentinel.adapters.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingCache;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Bindings cached in two tiers: a per-process tier that keeps an entry at most a second, in
 * front of Redis entries shared by every replica.
 *
 * <p>A Redis entry lives for the freshness TTL plus a stale grace: the guard judges
 * freshness by {@code cachedAt}, and while PostgreSQL is down a stale entry still decides.
 * An eviction deletes the Redis entry and announces the key on a channel, so that every
 * replica drops its per-process copy. A message published while a replica was cut off is
 * lost to it; the per-process tier's short lifetime bounds how long that replica keeps a
 * stale copy.
 *
 * <p>Redis failures never leave this class: they are misses (a failed eviction is noted
 * instead, see {@link RedisStores}), and the circuit decides whether Redis is down.
 *
 * <p>Thread-safe.
 */
final class RedisBindingCache implements BindingCache {

    private final RedisClient client;
    private final StoreCircuit circuit;
    private final RedisKeys keys;
    private final Cache<TokenHash, Cached> local;
    private final long redisTtlMillis;
    private final InstantSource clock;
    private final AtomicBoolean evictionsLost;

    RedisBindingCache(RedisClient client, StoreCircuit circuit, RedisKeys keys,
            Duration localTtl, Duration redisTtl, InstantSource clock, Ticker ticker,
            AtomicBoolean evictionsLost) {
        this.client = client;
        this.circuit = circuit;
        this.keys = keys;
        this.local = localTtl.isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(localTtl)
                .maximumSize(RedisStores.MAX_LOCAL_BINDINGS)
                .ticker(ticker)
                .build();
        this.redisTtlMillis = redisTtl.toMillis();
        this.clock = clock;
        this.evictionsLost = evictionsLost;
    }

    @Override
    public Optional<Cached> get(TokenHash tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Cached near = local == null ? null : local.getIfPresent(tokenHash);
        if (near != null) {
            return Optional.of(near);
        }
        if (!circuit.isUp()) {
            return Optional.empty();
        }
        String json;
        try {
            json = circuit.call("read a cached binding", () ->
                    client.get(keys.binding(tokenHash)));
        } catch (StoreUnavailableException e) {
            return Optional.empty();
        }
        if (json == null) {
            return Optional.empty();
        }
        Optional<Cached> entry = CachedBindingJson.decode(json)
                .filter(cached -> cached.binding().tokenHash().equals(tokenHash));
        if (local != null) {
            entry.ifPresent(cached -> local.put(tokenHash, cached));
        }
        return entry;
    }

    @Override
    public void put(Binding binding) {
        Objects.requireNonNull(binding, "binding");
        Cached entry = new Cached(binding, clock.instant());
        if (local != null) {
            local.put(binding.tokenHash(), entry);
        }
        if (!circuit.isUp()) {
            return;
        }
        try {
            circuit.run("cache a binding", () -> client.set(keys.binding(binding.tokenHash()),
                    CachedBindingJson.encode(entry), SetParams.setParams().px(redisTtlMillis)));
        } catch (StoreUnavailableException e) {
            // A cache that cannot be written is only a slower cache.
        }
    }

    @Override
    public void evict(TokenHash tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        dropLocal(tokenHash);

        // An entry left behind would decide for every replica, also past PostgreSQL's return:
        // a failed eviction is noted while Redis is marked down, so that its recovery deletes
        // every cached binding. Noting it under the circuit's lock orders it before the
        // recovery's last look; if Redis came back in between, the eviction is tried again.
        for (int attempt = 0; attempt < 3; attempt++) {
            if (circuit.isUp()) {
                try {
                    circuit.run("evict a cached binding", () -> {
                        client.del(keys.binding(tokenHash));
                        client.publish(keys.evictionChannel(), tokenHash.hex());
                    });
                    return;
                } catch (StoreUnavailableException e) {
                    circuit.markDown(e);
                }
            }
            if (circuit.whileDown(() -> evictionsLost.set(true))) {
                return;
            }
        }
        evictionsLost.set(true);
    }

    /** Drops this process's copy of one key, as an eviction message asks. */
    void dropLocal(TokenHash tokenHash) {
        if (local != null) {
            local.invalidate(tokenHash);
        }
    }

    /** Drops every per-process copy: eviction messages may have been missed. */
    void dropAllLocal() {
        if (local != null) {
            local.invalidateAll();
        }
    }

    /** Returns this process's copy of one key without asking Redis. */
    Optional<Cached> localCopy(TokenHash tokenHash) {
        return local == null
                ? Optional.empty()
                : Optional.ofNullable(local.getIfPresent(tokenHash));
    }
}
