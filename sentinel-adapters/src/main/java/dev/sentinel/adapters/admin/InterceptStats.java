package dev.sentinel.adapters.admin;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * The dashboard's counts of intercepts.
 *
 * <p>Thread-safe: a holder of immutable records.
 */
public final class InterceptStats {

    private InterceptStats() {
    }

    /**
     * Intercepts in one hour.
     *
     * @param hour the start of the hour, UTC
     * @param count intercepts in it
     */
    public record HourCount(Instant hour, long count) {
        /** Checks that the hour is present. */
        public HourCount {
            Objects.requireNonNull(hour, "hour");
        }
    }

    /**
     * Intercepts of one key.
     *
     * @param tokenHash the key's identity
     * @param hint the key's hint
     * @param count intercepts
     */
    public record KeyCount(TokenHash tokenHash, String hint, long count) {
        /** Checks that nothing is missing. */
        public KeyCount {
            Objects.requireNonNull(tokenHash, "tokenHash");
            Objects.requireNonNull(hint, "hint");
        }
    }

    /**
     * Intercepts from one client address.
     *
     * @param address the client address
     * @param count intercepts
     */
    public record AddressCount(IpAddress address, long count) {
        /** Checks that the address is present. */
        public AddressCount {
            Objects.requireNonNull(address, "address");
        }
    }
}
