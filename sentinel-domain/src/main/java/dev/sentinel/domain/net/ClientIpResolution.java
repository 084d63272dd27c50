package dev.sentinel.domain.net;

import java.util.Objects;

/**
 * The outcome of resolving a request's client address: an address, or a refusal.
 *
 * <p>A refusal is an expected outcome (a misconfigured proxy in front of Sentinel), not an
 * error, so it is a value the caller must look at.
 */
public sealed interface ClientIpResolution {

    /**
     * The client's address.
     *
     * @param address the address to bind and check keys against
     * @param viaTrustedProxy whether it came from a trusted proxy's {@code X-Real-IP}
     */
    record Resolved(IpAddress address, boolean viaTrustedProxy) implements ClientIpResolution {
        /** Checks that the address is present. */
        public Resolved {
            Objects.requireNonNull(address, "address");
        }
    }

    /**
     * No address can be believed; the request must be refused with 400.
     *
     * @param detail what was wrong, safe to show to the client
     */
    record Refused(String detail) implements ClientIpResolution {
        /** Checks that the detail is present. */
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
