package dev.sentinel.domain.net;

import java.util.List;
import java.util.Objects;

/**
 * Decides which address a request comes from: the TCP peer, unless the peer is a trusted
 * proxy, whose {@code X-Real-IP} is then believed.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientIpResolver {

    private final List<Cidr> trustedProxies;

    /**
     * Creates a resolver.
     *
     * @param trustedProxies networks whose {@code X-Real-IP} header is believed; may be empty
     */
    public ClientIpResolver(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies,
                "trustedProxies"));
    }

    /** Returns the trusted proxy networks. */
    public List<Cidr> trustedProxies() {
        return trustedProxies;
    }

    /**
     * Resolves the client address of one request.
     *
     * @param peer the TCP peer address
     * @param realIpValues every {@code X-Real-IP} header line of the request, as received
     * @return the client address, or a refusal when a trusted proxy sent no usable header
     */
    public ClientIpResolution resolve(IpAddress peer, List<String> realIpValues) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(realIpValues, "realIpValues");

        // Anyone may write forwarding headers; only a proxy we run may be believed.
        if (!isTrustedProxy(peer)) {
            return new ClientIpResolution.Resolved(peer, false);
        }

        // Falling back to the proxy's own address would bind keys to everyone behind it.
        if (realIpValues.isEmpty()) {
            return new ClientIpResolution.Refused("the trusted proxy " + peer
                    + " sent no X-Real-IP header; expected exactly one");
        }

        // Two lines mean someone upstream appended rather than replaced: believe neither.
        if (realIpValues.size() > 1) {
            return new ClientIpResolution.Refused("the trusted proxy " + peer + " sent "
                    + realIpValues.size() + " X-Real-IP headers; expected exactly one");
        }

        // One strict literal: no list, port, brackets, zone id or name to resolve.
        String value = realIpValues.get(0).strip();
        return IpAddress.parse(value)
                .<ClientIpResolution>map(ip -> new ClientIpResolution.Resolved(ip, true))
                .orElseGet(() -> new ClientIpResolution.Refused("X-Real-IP from the trusted "
                        + "proxy " + peer + " is not one IP address; expected a literal such "
                        + "as 192.0.2.7 or 2001:db8::7"));
    }

    /** Returns whether {@code peer} lies in a trusted proxy network. */
    public boolean isTrustedProxy(IpAddress peer) {
        for (Cidr network : trustedProxies) {
            if (network.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
