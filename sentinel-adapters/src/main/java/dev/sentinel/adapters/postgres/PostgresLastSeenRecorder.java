package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;

/**
 * Last allowed uses, merged in memory per key (the latest wins) and written by one
 * {@code UPDATE ... FROM unnest(...)} per flush interval. The update only moves
 * {@code last_seen_at} forward and leaves {@code revision} alone: a use is no admin change,
 * and must not stop a first use from being undone.
 *
 * <p>Thread-safe.
 */
final class PostgresLastSeenRecorder implements BatchedLastSeenRecorder {

    private static final String UPDATE = """
            UPDATE binding AS b
               SET last_seen_at = seen.at, last_ip = seen.ip
              FROM unnest(CAST(:tokenHashes AS char(64)[]), CAST(:ats AS timestamptz[]),
                          CAST(:ips AS inet[])) AS seen(token_hash, at, ip)
             WHERE b.token_hash = seen.token_hash AND b.last_seen_at < seen.at""";

    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final Duration interval;
    private final ConcurrentHashMap<TokenHash, Seen> pending = new ConcurrentHashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread flusher;

    PostgresLastSeenRecorder(Jdbi jdbi, StoreCircuit circuit, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("last-seen flush interval " + interval
                    + " is not positive");
        }
        this.jdbi = jdbi;
        this.circuit = circuit;
        this.interval = interval;
        this.flusher = Thread.ofVirtual().name("sentinel-last-seen-writer").start(this::flushLoop);
    }

    @Override
    public void allowed(TokenHash tokenHash, IpAddress clientIp, Instant at) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        pending.merge(tokenHash, new Seen(Objects.requireNonNull(clientIp, "clientIp"),
                Objects.requireNonNull(at, "at")), Seen::later);
    }

    @Override
    public int pending() {
        return pending.size();
    }

    @Override
    public boolean flush() {
        flushing.lock();
        try {
            if (pending.isEmpty()) {
                return true;
            }
            List<TokenHash> keys = new ArrayList<>(pending.keySet());
            List<String> tokenHashes = new ArrayList<>(keys.size());
            List<String> ats = new ArrayList<>(keys.size());
            List<String> ips = new ArrayList<>(keys.size());
            Map<TokenHash, Seen> taken = new HashMap<>();
            for (TokenHash key : keys) {
                Seen seen = pending.remove(key);
                if (seen != null) {
                    taken.put(key, seen);
                    tokenHashes.add(key.hex());
                    ats.add(seen.at().toString());
                    ips.add(seen.ip().toString());
                }
            }
            try {
                circuit.run("record last uses", () -> jdbi.useHandle(handle ->
                        handle.createUpdate(UPDATE)
                                .bindArray("tokenHashes", String.class, tokenHashes)
                                .bindArray("ats", String.class, ats)
                                .bindArray("ips", String.class, ips)
                                .execute()));
                return true;
            } catch (StoreUnavailableException e) {
                // Back into the map, where a newer use recorded meanwhile still wins.
                taken.forEach((key, seen) -> pending.merge(key, seen, Seen::later));
                return false;
            }
        } finally {
            flushing.unlock();
        }
    }

    @Override
    public void close() {
        if (closing.getCount() == 0) {
            return;
        }
        closing.countDown();
        try {
            flusher.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushLoop() {
        while (true) {
            boolean closed;
            try {
                closed = closing.await(interval.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            flush();
            if (closed) {
                return;
            }
        }
    }

    /** One key's latest allowed use. */
    private record Seen(IpAddress ip, Instant at) {

        static Seen later(Seen current, Seen offered) {
            return offered.at().isBefore(current.at()) ? current : offered;
        }
    }
}
