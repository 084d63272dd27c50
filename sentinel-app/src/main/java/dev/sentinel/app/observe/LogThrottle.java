package dev.sentinel.app.observe;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps a flood from becoming a flood of log lines: per subject (a key, or the failsafe
 * decision), the first few events of each minute are logged and the rest only counted. The
 * counts come back as summaries once their minute is over, so the log still says how many
 * there were. The database keeps every intercept; this only protects the log.
 *
 * <p>Thread-safe.
 */
final class LogThrottle {

    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final int MAX_SUBJECTS = 10_000;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    LogThrottle(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Counts one event of a subject.
     *
     * @return whether it should be logged
     */
    boolean admit(String subject) {
        long now = nanoTime.getAsLong();
        Window window = windows.get(subject);
        if (window == null) {
            // A flood of distinct subjects is counted under one, not remembered one by one.
            String tracked = windows.size() >= MAX_SUBJECTS ? "(other keys)" : subject;
            window = windows.computeIfAbsent(tracked, unused -> new Window(now));
        }
        return window.admit(now, perMinute);
    }

    /**
     * Returns the suppressed counts of minutes that are over, at most once a minute, and
     * forgets them.
     *
     * @return subject and suppressed count, possibly empty
     */
    List<Map.Entry<String, Long>> endedSummaries() {
        long now = nanoTime.getAsLong();
        long last = lastSweep.get();
        if (now - last < MINUTE_NANOS || !lastSweep.compareAndSet(last, now)) {
            return List.of();
        }
        List<Map.Entry<String, Long>> summaries = new ArrayList<>();
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, Window> entry = it.next();
            if (now - entry.getValue().start >= MINUTE_NANOS) {
                it.remove();
                long suppressed = entry.getValue().suppressed.get();
                if (suppressed > 0) {
                    summaries.add(Map.entry(entry.getKey(), suppressed));
                }
            }
        }
        return summaries;
    }

    private static final class Window {

        private final long start;
        private final AtomicLong seen = new AtomicLong();
        private final AtomicLong suppressed = new AtomicLong();

        Window(long start) {
            this.start = start;
        }

        boolean admit(long now, int perMinute) {
            if (seen.incrementAndGet() <= perMinute) {
                return true;
            }
            suppressed.incrementAndGet();
            return false;
        }
    }
}
