package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Intercepts of flooded keys, folded into one pending summary per key and minute until the
 * writer takes them. A summary keeps the count exactly, the first and last time, and up to
 * {@value #MAX_ADDRESSES} distinct addresses.
 *
 * <p>Thread-safe: one lock guards the pending map; holding it costs a map lookup.
 */
final class InterceptSummaries {

    /** Distinct addresses kept per summary; the count past it is a lower bound. */
    static final int MAX_ADDRESSES = 100;

    private final int maxEntries;
    private final ReentrantLock lock = new ReentrantLock();
    private Map<FloodGate.Slot, Summary> pending = new HashMap<>();
    private long pendingIntercepts;

    InterceptSummaries(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * Folds an intercept into its key's summary for the minute.
     *
     * @return {@code false} when that would need a new summary and the bound is reached
     */
    boolean add(Intercept intercept) {
        FloodGate.Slot slot = new FloodGate.Slot(intercept.tokenHash(),
                FloodGate.minuteOf(intercept.at()));
        lock.lock();
        try {
            Summary summary = pending.get(slot);
            if (summary == null) {
                if (pending.size() >= maxEntries) {
                    return false;
                }
                summary = new Summary(intercept.tokenHash(), slot.minute(), intercept.hint(),
                        intercept.at());
                pending.put(slot, summary);
            }
            summary.add(intercept.clientIp(), intercept.at());
            pendingIntercepts++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes every pending summary, ordered by key and minute so writers lock rows alike. */
    List<Summary> drain() {
        Map<FloodGate.Slot, Summary> taken;
        lock.lock();
        try {
            taken = pending;
            pending = new HashMap<>();
            pendingIntercepts = 0;
        } finally {
            lock.unlock();
        }
        List<Summary> summaries = new ArrayList<>(taken.values());
        summaries.sort(Comparator.comparing((Summary s) -> s.tokenHash().hex())
                .thenComparingLong(Summary::minute));
        return summaries;
    }

    /** Puts summaries that could not be written back, merged with any that arrived since. */
    void restore(List<Summary> unwritten) {
        lock.lock();
        try {
            for (Summary summary : unwritten) {
                pending.merge(new FloodGate.Slot(summary.tokenHash(), summary.minute()),
                        summary, Summary::merge);
                pendingIntercepts += summary.intercepts();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many summaries wait to be written. */
    int size() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many intercepts the waiting summaries hold. */
    long intercepts() {
        lock.lock();
        try {
            return pendingIntercepts;
        } finally {
            lock.unlock();
        }
    }

    /** One key's intercepts in one minute. Guarded by the owner's lock while pending. */
    static final class Summary {

        private final TokenHash tokenHash;
        private final long minute;
        private final String hint;
        private final Set<IpAddress> addresses = new LinkedHashSet<>();
        private long intercepts;
        private Instant firstAt;
        private Instant lastAt;

        Summary(TokenHash tokenHash, long minute, String hint, Instant at) {
            this.tokenHash = tokenHash;
            this.minute = minute;
            this.hint = hint;
            this.firstAt = at;
            this.lastAt = at;
        }

        void add(IpAddress address, Instant at) {
            intercepts++;
            if (addresses.size() < MAX_ADDRESSES) {
                addresses.add(address);
            }
            if (at.isBefore(firstAt)) {
                firstAt = at;
            }
            if (at.isAfter(lastAt)) {
                lastAt = at;
            }
        }

        static Summary merge(Summary kept, Summary other) {
            kept.intercepts += other.intercepts;
            for (IpAddress address : other.addresses) {
                if (kept.addresses.size() >= MAX_ADDRESSES) {
                    break;
                }
                kept.addresses.add(address);
            }
            if (other.firstAt.isBefore(kept.firstAt)) {
                kept.firstAt = other.firstAt;
            }
            if (other.lastAt.isAfter(kept.lastAt)) {
                kept.lastAt = other.lastAt;
            }
            return kept;
        }

        TokenHash tokenHash() {
            return tokenHash;
        }

        long minute() {
            return minute;
        }

        Instant minuteStart() {
            return Instant.ofEpochSecond(minute * 60);
        }

        String hint() {
            return hint;
        }

        long intercepts() {
            return intercepts;
        }

        List<IpAddress> addresses() {
            return List.copyOf(addresses);
        }

        Instant firstAt() {
            return firstAt;
        }

        Instant lastAt() {
            return lastAt;
        }
    }
}
