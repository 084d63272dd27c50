package dev.sentinel.domain.net;

import java.util.Objects;

/**
 * A network: an address and a prefix length, with no host bits set.
 *
 * <p>{@code 10.0.0.1/24} is refused rather than silently widened, because a rule that does
 * not say what it means is a configuration error. A network of one family never contains an
 * address of the other; IPv4-mapped IPv6 addresses are IPv4 (see {@link IpAddress}).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param network the first address of the network
 * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record Cidr(IpAddress network, int prefixLength) {

    /**
     * Checks the invariants.
     *
     * @throws IllegalArgumentException when the prefix is out of range or host bits are set
     */
    public Cidr {
        Objects.requireNonNull(network, "network");
        if (prefixLength < 0 || prefixLength > network.bitLength()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of "
                    + "range: expected 0 to " + network.bitLength());
        }
        if (!hasNoHostBits(network, prefixLength)) {
            throw new IllegalArgumentException("'" + network + "/" + prefixLength + "' has "
                    + "host bits set: expected the network address " + network(network,
                    prefixLength) + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code address/prefix}, or a bare address as a single-host network.
     *
     * @param text for example {@code 192.0.2.0/24}, {@code 2001:db8::/48} or {@code 192.0.2.7}
     * @return the network
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        IpAddress address = IpAddress.parse(addressText).orElseThrow(() ->
                new IllegalArgumentException("'" + text + "' is not a CIDR: expected an IP "
                        + "address and a prefix length, such as 192.0.2.0/24 or 2001:db8::/48"));
        if (slash < 0) {
            return new Cidr(address, address.bitLength());
        }
        String prefixText = text.substring(slash + 1);

        // ::ffff:192.0.2.0/120 is written in IPv6 bits but names the IPv4 network /24.
        boolean writtenAsMapped = address.isV4() && addressText.indexOf(':') >= 0;
        int writtenBits = writtenAsMapped ? 128 : address.bitLength();
        int prefix = parsePrefix(prefixText, writtenBits);
        if (prefix < 0 || (writtenAsMapped && prefix < 96)) {
            throw new IllegalArgumentException("'" + text + "' has a bad prefix length '"
                    + prefixText + "': expected a whole number from "
                    + (writtenAsMapped ? 96 : 0) + " to " + writtenBits);
        }
        int prefixLength = writtenAsMapped ? prefix - 96 : prefix;

        // Checked here too, so that the message quotes the value as the operator wrote it.
        if (!hasNoHostBits(address, prefixLength)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: expected the "
                    + "network address " + network(address, prefixLength) + "/" + prefixLength);
        }
        return new Cidr(address, prefixLength);
    }

    /**
     * Returns the network of the given prefix length that contains {@code address}.
     *
     * @param address any address
     * @param prefixLength the prefix length, within the address family's range
     * @return the enclosing network
     */
    public static Cidr enclosing(IpAddress address, int prefixLength) {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > address.bitLength()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of "
                    + "range: expected 0 to " + address.bitLength());
        }
        return new Cidr(network(address, prefixLength), prefixLength);
    }

    /** Returns whether {@code address} lies in this network; never across families. */
    public boolean contains(IpAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isV4() != network.isV4()) {
            return false;
        }
        int fullBytes = prefixLength >>> 3;
        for (int i = 0; i < fullBytes; i++) {
            if (address.byteAt(i) != network.byteAt(i)) {
                return false;
            }
        }
        int remainingBits = prefixLength & 7;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - remainingBits)) & 0xff;
        return (address.byteAt(fullBytes) & mask) == (network.byteAt(fullBytes) & mask);
    }

    /** Returns whether this network covers every address of its family. */
    public boolean isWholeFamily() {
        return prefixLength == 0;
    }

    /** Returns {@code network/prefixLength} in canonical form. */
    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }

    private static int parsePrefix(String text, int maxBits) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || (i == 1 && value == 0)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= maxBits ? value : -1;
    }

    private static boolean hasNoHostBits(IpAddress address, int prefixLength) {
        for (int bit = prefixLength; bit < address.bitLength(); bit++) {
            if (address.bit(bit)) {
                return false;
            }
        }
        return true;
    }

    private static IpAddress network(IpAddress address, int prefixLength) {
        byte[] bytes = address.bytes();
        for (int i = 0; i < bytes.length; i++) {
            int bitsKept = Math.max(0, Math.min(8, prefixLength - i * 8));
            bytes[i] &= (byte) ((0xff << (8 - bitsKept)) & 0xff);
        }
        return IpAddress.fromBytes(bytes);
    }
}
