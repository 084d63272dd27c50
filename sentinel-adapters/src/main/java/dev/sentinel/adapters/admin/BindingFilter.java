package dev.sentinel.adapters.admin;

import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.net.IpAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Which bindings a list shows; every criterion given must hold.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hint text the key hint contains (case-insensitive)
 * @param hashPrefix the start of the token hash, lower-case hex
 * @param status the binding's status
 * @param address an address some rule of the binding contains
 */
public record BindingFilter(
        Optional<String> hint,
        Optional<String> hashPrefix,
        Optional<BindingStatus> status,
        Optional<IpAddress> address) {

    /** No criterion: every binding. */
    public static final BindingFilter ALL = new BindingFilter(Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** Checks that nothing is missing and that the hash prefix is hex. */
    public BindingFilter {
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(hashPrefix, "hashPrefix");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(address, "address");
        hashPrefix.ifPresent(HashPrefixes::check);
    }

    /** Returns a filter on status only. */
    public static BindingFilter byStatus(BindingStatus status) {
        return new BindingFilter(Optional.empty(), Optional.empty(), Optional.of(status),
                Optional.empty());
    }
}
