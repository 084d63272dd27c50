package dev.sentinel.adapters.admin;

import dev.sentinel.domain.net.IpAddress;
import java.util.Objects;

/**
 * Who made an admin change, as the audit records it: the admin's address, resolved by the
 * same rule as a proxied client's.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the admin's client address
 */
public record Actor(IpAddress address) {

    /** Checks that the address is present. */
    public Actor {
        Objects.requireNonNull(address, "address");
    }
}
