package dev.sentinel.adapters.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * How many login attempts an address may make before it is locked out.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxAttempts attempts allowed in one window; the next one is locked out
 * @param window how long attempts are counted, from the first one
 * @param lockout how long a locked-out address waits
 */
public record LoginPolicy(int maxAttempts, Duration window, Duration lockout) {

    /** Checks the ranges. */
    public LoginPolicy {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(lockout, "lockout");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("login attempts " + maxAttempts
                    + " is not positive: expected at least 1");
        }
        if (window.toMillis() < 1 || lockout.toMillis() < 1) {
            throw new IllegalArgumentException("login window " + window + " and lockout "
                    + lockout + " must be at least 1 ms");
        }
    }
}
