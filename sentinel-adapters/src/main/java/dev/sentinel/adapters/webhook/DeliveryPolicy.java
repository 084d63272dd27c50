package dev.sentinel.adapters.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard a webhook is tried: a timeout per attempt, a bounded number of attempts, and an
 * exponential backoff between them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param timeout the longest one attempt may take, connection included
 * @param maxAttempts attempts at most, 1 to 10
 * @param firstBackoff the pause before the second attempt; each later pause doubles
 * @param maxBackoff the longest pause
 * @param maxInFlight alerts being delivered at once at most; more are dropped and recorded
 */
public record DeliveryPolicy(Duration timeout, int maxAttempts, Duration firstBackoff,
        Duration maxBackoff, int maxInFlight) {

    /** Five seconds per attempt, four attempts, 0.5 s, 1 s and 2 s apart, 64 in flight. */
    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(Duration.ofSeconds(5), 4,
            Duration.ofMillis(500), Duration.ofSeconds(8), 64);

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public DeliveryPolicy {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("webhook timeout " + timeout
                    + " is not positive");
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("webhook attempts " + maxAttempts
                    + " is out of range: expected 1 to 10");
        }
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("webhook backoff " + firstBackoff + " to "
                    + maxBackoff + " is not a range of non-negative pauses");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("webhook deliveries in flight " + maxInFlight
                    + " is not positive");
        }
    }

    /** Returns the pause after attempt {@code attempt} (1-based) failed. */
    Duration backoffAfter(int attempt) {
        long millis = firstBackoff.toMillis();
        for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
