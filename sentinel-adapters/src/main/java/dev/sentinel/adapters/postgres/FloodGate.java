package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.credential.TokenHash;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets the first intercepts of each key in each minute through as rows; the rest of that
 * key's minute is summarised. It counts in this process only: with several replicas, a key
 * gets up to this many rows per minute from each of them.
 *
 * <p>Thread-safe.
 */
final class FloodGate {

    /** A key in a minute. */
    record Slot(TokenHash tokenHash, long minute) {
    }

    private final int rowsPerMinute;
    private final ConcurrentHashMap<Slot, AtomicInteger> admitted = new ConcurrentHashMap<>();
    private final AtomicLong newestMinute = new AtomicLong(Long.MIN_VALUE);

    FloodGate(int rowsPerMinute) {
        if (rowsPerMinute < 1) {
            throw new IllegalArgumentException("intercept rows per key and minute "
                    + rowsPerMinute + " is not positive: expected at least 1");
        }
        this.rowsPerMinute = rowsPerMinute;
    }

    /** Returns the minute an instant falls in, as whole minutes since the epoch. */
    static long minuteOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60);
    }

    /**
     * Counts one intercept of a key.
     *
     * @return whether it may be written as a row of its own
     */
    boolean admit(TokenHash tokenHash, Instant at) {
        long minute = minuteOf(at);
        forgetOldMinutes(minute);
        return admitted.computeIfAbsent(new Slot(tokenHash, minute), slot -> new AtomicInteger())
                .incrementAndGet() <= rowsPerMinute;
    }

    /** Returns how many key-minutes are being counted, for tests. */
    int slots() {
        return admitted.size();
    }

    /**
     * Once per new minute, drops the counts of minutes before the previous one. Intercepts
     * arrive in time order give or take a moment, so the previous minute is kept for
     * stragglers.
     */
    private void forgetOldMinutes(long minute) {
        long newest = newestMinute.get();
        if (minute <= newest || !newestMinute.compareAndSet(newest, minute)) {
            return;
        }
        admitted.keySet().removeIf(slot -> slot.minute() < minute - 1);
    }
}
