package dev.sentinel.adapters.admin;

import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.net.Cidr;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which intercept rows a list or export shows; every criterion given must hold.
 *
 * <p>Immutable and thread-safe.
 *
 * @param from the earliest time, inclusive
 * @param to the latest time, exclusive
 * @param hint text the key hint contains (case-insensitive)
 * @param hashPrefix the start of the token hash, lower-case hex
 * @param network the network the client address lies in (a single address is a /32 or /128)
 * @param reason why the request was stopped
 */
public record InterceptFilter(
        Optional<Instant> from,
        Optional<Instant> to,
        Optional<String> hint,
        Optional<String> hashPrefix,
        Optional<Cidr> network,
        Optional<InterceptReason> reason) {

    /** No criterion: every row. */
    public static final InterceptFilter ALL = new InterceptFilter(Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Checks that nothing is missing, the hash prefix is hex and the range is in order. */
    public InterceptFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(hashPrefix, "hashPrefix");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(reason, "reason");
        hashPrefix.ifPresent(HashPrefixes::check);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("time range from " + from.get() + " to "
                    + to.get() + " is empty: expected from before to");
        }
    }
}
