package dev.sentinel.app.admin;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingCache;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drops a changed binding from every cache, twice: at once, and again a moment later.
 *
 * <p>The second eviction closes the cache-aside race: a replica that read the old row from
 * PostgreSQL just before the change committed may write it to the cache just after the
 * first eviction. Without the second, that stale copy would decide for the cache's whole
 * freshness period.
 *
 * <p>Thread-safe.
 */
final class CacheEvictions implements AutoCloseable {

    static final Duration SECOND_EVICTION_DELAY = Duration.ofMillis(500);

    private final BindingCache cache;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("sentinel-admin-evictions").factory());

    CacheEvictions(BindingCache cache) {
        this.cache = cache;
    }

    /** Evicts a key everywhere now, and once more shortly. */
    void evict(TokenHash tokenHash) {
        cache.evict(tokenHash);
        try {
            later.schedule(() -> cache.evict(tokenHash), SECOND_EVICTION_DELAY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: no replica keeps serving from this process's caches.
        }
    }

    @Override
    public void close() {
        later.shutdownNow();
    }
}
