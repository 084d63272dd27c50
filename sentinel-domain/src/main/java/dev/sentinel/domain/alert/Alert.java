package dev.sentinel.domain.alert;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A key was intercepted often enough in one window to tell an admin. It names the key only
 * by hint and hash, never by value.
 *
 * <p>Immutable and thread-safe.
 *
 * @param tokenHash the key's identity
 * @param hint the key's display hint
 * @param window the window the intercepts fell in
 * @param intercepts how many intercepts were counted when the threshold was reached
 * @param threshold the threshold in force
 * @param addresses addresses the intercepts came from (a bounded sample, possibly partial)
 * @param raisedAt when the alert was raised
 */
public record Alert(
        TokenHash tokenHash,
        String hint,
        AlertWindow window,
        long intercepts,
        int threshold,
        List<IpAddress> addresses,
        Instant raisedAt) {

    /** Checks that nothing is missing and copies the addresses. */
    public Alert {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(window, "window");
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        Objects.requireNonNull(raisedAt, "raisedAt");
        if (intercepts < 1 || threshold < 1) {
            throw new IllegalArgumentException("an alert needs at least one intercept and a "
                    + "positive threshold, got " + intercepts + " and " + threshold);
        }
    }
}
