package dev.sentinel.domain.binding;

import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;

/**
 * How wide a network a key's first use binds it to: by default one IPv4 address, and one
 * IPv6 /64, because an IPv6 host changes its address inside its /64 on its own.
 *
 * @param v4 the IPv4 prefix length, 0 to 32
 * @param v6 the IPv6 prefix length, 0 to 128
 */
public record BindPrefixes(int v4, int v6) {

    /** The defaults: {@code /32} and {@code /64}. */
    public static final BindPrefixes DEFAULT = new BindPrefixes(32, 64);

    /**
     * The widest IPv4 prefix an operator may configure. Wider ones are allowed as rules but
     * not as the bind prefix: at {@code /0} every key would bind to everywhere and nothing
     * would be enforced.
     */
    public static final int WIDEST_V4 = 8;

    /** The widest IPv6 prefix an operator may configure, for the same reason. */
    public static final int WIDEST_V6 = 16;

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException when a prefix is out of range
     */
    public BindPrefixes {
        if (v4 < 0 || v4 > 32) {
            throw new IllegalArgumentException("IPv4 bind prefix " + v4
                    + " is out of range: expected 0 to 32");
        }
        if (v6 < 0 || v6 > 128) {
            throw new IllegalArgumentException("IPv6 bind prefix " + v6
                    + " is out of range: expected 0 to 128");
        }
    }

    /** Returns the network a first use from {@code client} binds the key to. */
    public Cidr networkOf(IpAddress client) {
        return Cidr.enclosing(client, client.isV4() ? v4 : v6);
    }
}
