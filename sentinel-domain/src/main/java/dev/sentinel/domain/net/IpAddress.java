package dev.sentinel.domain.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address, compared as bytes.
 *
 * <p>Text is parsed strictly and never resolved: IPv4 must be four decimal parts without
 * leading zeros ({@code 010.0.0.1}, {@code 0x0a.0.0.1} and {@code 127.1} are refused); IPv6
 * follows RFC 4291 without brackets, ports or zone ids. An IPv4-mapped IPv6 address
 * ({@code ::ffff:1.2.3.4}) <em>is</em> the IPv4 address, so a client cannot escape an IPv4
 * rule by writing its address the other way.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class IpAddress {

    private static final int MAX_TEXT_LENGTH = 45;

    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses a strict IP literal.
     *
     * @param text the literal, without surrounding whitespace
     * @return the address, or empty when {@code text} is not one strict IP literal
     */
    public static Optional<IpAddress> parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            return Optional.empty();
        }
        byte[] parsed = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
        return parsed == null ? Optional.empty() : Optional.of(fromBytes(parsed));
    }

    /**
     * Parses a strict IP literal that must be valid, as in configuration.
     *
     * @param text the literal
     * @return the address
     * @throws IllegalArgumentException naming the value when it is not a strict IP literal
     */
    public static IpAddress of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "'" + text + "' is not an IP address: expected an IPv4 literal such as "
                        + "192.0.2.7 or an IPv6 literal such as 2001:db8::7"));
    }

    /**
     * Wraps the raw bytes of an address, as a socket reports them.
     *
     * @param raw 4 or 16 bytes; copied
     * @return the address, IPv4 when {@code raw} is IPv4-mapped IPv6
     */
    public static IpAddress fromBytes(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != 4 && raw.length != 16) {
            throw new IllegalArgumentException(
                    "an IP address has 4 or 16 bytes, got " + raw.length);
        }
        if (raw.length == 16 && isV4Mapped(raw)) {
            return new IpAddress(Arrays.copyOfRange(raw, 12, 16));
        }
        return new IpAddress(raw.clone());
    }

    /**
     * Converts a socket's address without any name lookup.
     *
     * @param address an address as a socket reports it
     * @return the same address
     */
    public static IpAddress fromInetAddress(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return fromBytes(address.getAddress());
    }

    /** Returns whether this is an IPv4 address. */
    public boolean isV4() {
        return bytes.length == 4;
    }

    /** Returns the number of bits of this address family: 32 or 128. */
    public int bitLength() {
        return bytes.length * 8;
    }

    /** Returns a copy of the address bytes, 4 for IPv4 and 16 for IPv6. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Returns the value of bit {@code index}, counting from the most significant. */
    boolean bit(int index) {
        return (bytes[index >>> 3] & (0x80 >>> (index & 7))) != 0;
    }

    byte byteAt(int index) {
        return bytes[index];
    }

    /** Returns the address as a JDK value, without any name lookup. */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAddress that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Returns the canonical text: dotted decimal, or RFC 5952 compressed lower-case IPv6. */
    @Override
    public String toString() {
        return isV4() ? v4Text() : v6Text();
    }

    private String v4Text() {
        return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "."
                + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }

    private String v6Text() {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }

        // RFC 5952: compress the longest run of two or more zero groups, the first on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }

        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static boolean isV4Mapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
    }

    /** Four decimal parts 0-255, ASCII digits only, no leading zeros. */
    static byte[] parseV4(CharSequence text) {
        byte[] result = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 3) {
                    return null;
                }
                result[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null;
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0) {
            return null;
        }
        result[3] = (byte) value;
        return result;
    }

    /** RFC 4291 section 2.2 text forms; no zone id, brackets or prefix. */
    private static byte[] parseV6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }

        int[] head = new int[8];
        int[] tail = new int[8];
        int headCount;
        int tailCount;
        if (doubleColon < 0) {
            headCount = parseGroups(text, head, true);
            tailCount = 0;
            if (headCount != 8) {
                return null;
            }
        } else {
            String left = text.substring(0, doubleColon);
            String right = text.substring(doubleColon + 2);
            headCount = left.isEmpty() ? 0 : parseGroups(left, head, false);
            tailCount = right.isEmpty() ? 0 : parseGroups(right, tail, true);
            // "::" stands for at least one zero group.
            if (headCount < 0 || tailCount < 0 || headCount + tailCount > 7) {
                return null;
            }
        }

        byte[] result = new byte[16];
        for (int i = 0; i < headCount; i++) {
            result[2 * i] = (byte) (head[i] >>> 8);
            result[2 * i + 1] = (byte) head[i];
        }
        int offset = 8 - tailCount;
        for (int i = 0; i < tailCount; i++) {
            result[2 * (offset + i)] = (byte) (tail[i] >>> 8);
            result[2 * (offset + i) + 1] = (byte) tail[i];
        }
        return result;
    }

    /**
     * Parses colon-separated groups of 1-4 hex digits into {@code out}; the last part may be
     * a dotted IPv4 address (two groups) when {@code mayEndInV4}. Returns the group count, or
     * -1 when the text is malformed.
     */
    private static int parseGroups(String text, int[] out, boolean mayEndInV4) {
        int count = 0;
        int start = 0;
        while (true) {
            int end = text.indexOf(':', start);
            boolean last = end < 0;
            String group = last ? text.substring(start) : text.substring(start, end);
            if (last && mayEndInV4 && group.indexOf('.') >= 0) {
                byte[] v4 = parseV4(group);
                if (v4 == null || count > 6) {
                    return -1;
                }
                out[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                return count;
            }
            int value = parseHexGroup(group);
            if (value < 0 || count == 8) {
                return -1;
            }
            out[count++] = value;
            if (last) {
                return count;
            }
            start = end + 1;
        }
    }

    private static int parseHexGroup(String group) {
        if (group.isEmpty() || group.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < group.length(); i++) {
            int digit = Character.digit(group.charAt(i), 16);
            if (digit < 0 || group.charAt(i) > 'f') {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
