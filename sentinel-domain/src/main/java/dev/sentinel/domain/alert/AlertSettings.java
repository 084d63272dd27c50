package dev.sentinel.domain.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * When a key's intercepts raise an alert. Admins change these at run time, so the policy
 * reads them through a supplier on every intercept.
 *
 * <p>Immutable and thread-safe.
 *
 * @param threshold intercepts of one key in one window that raise an alert, at least 1
 * @param window the window length, at least one second
 */
public record AlertSettings(int threshold, Duration window) {

    /** The defaults of the specification: 5 intercepts in 300 seconds. */
    public static final AlertSettings DEFAULT = new AlertSettings(5, Duration.ofSeconds(300));

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public AlertSettings {
        Objects.requireNonNull(window, "window");
        if (threshold < 1) {
            throw new IllegalArgumentException("alert threshold " + threshold
                    + " is not positive: expected at least 1 intercept");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("alert window " + window
                    + " is too short: expected at least 1 s");
        }
    }
}
