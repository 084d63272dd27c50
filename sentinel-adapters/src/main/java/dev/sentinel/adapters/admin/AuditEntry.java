package dev.sentinel.adapters.admin;

import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A recorded admin action.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the row id; newer rows have larger ids
 * @param at when it happened
 * @param action what was done, such as {@code binding.banned}
 * @param target what it was done to: a binding's hint and hash prefix, a setting's name
 * @param adminIp the admin's address
 * @param detail more about it (new rules, changed settings), empty when nothing
 */
public record AuditEntry(long id, Instant at, String action, String target, IpAddress adminIp,
        String detail) {

    /** Checks that nothing is missing. */
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(adminIp, "adminIp");
        Objects.requireNonNull(detail, "detail");
    }
}
