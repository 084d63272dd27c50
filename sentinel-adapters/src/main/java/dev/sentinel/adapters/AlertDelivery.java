package dev.sentinel.adapters;

import java.util.Locale;
import java.util.Objects;

/**
 * What became of one alert's webhook, as the alert history records it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param outcome sent, failed, not configured or dropped
 * @param attempts how many requests were made, 0 when none
 * @param detail a short reason for a failure, empty otherwise; never the webhook URL
 */
public record AlertDelivery(Outcome outcome, int attempts, String detail) {

    /** Checks that nothing is missing. */
    public AlertDelivery {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts " + attempts + " is negative");
        }
    }

    /** How a delivery ended. */
    public enum Outcome {
        /** The receiver accepted it. */
        SENT,
        /** Every attempt failed, or the receiver refused it for good. */
        FAILED,
        /** No webhook URL is set: the alert is only recorded. */
        NOT_CONFIGURED,
        /** Too many deliveries were in flight; the alert is only recorded. */
        DROPPED;

        /** Returns the stored spelling, such as {@code not_configured}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
