package dev.sentinel.domain.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Laws of the IP and CIDR parser, checked by jqwik over generated addresses, and its
 * agreement with {@link InetAddress}, a second implementation.
 *
 * <p>The JDK is only given what is a literal by construction (its own formatting, or text
 * built from digits and dots in the strict form), never anything it might resolve by DNS.
 */
class AddressAndNetworkPropertiesTest {

    @Property
    void anAddressSurvivesItsOwnText(@ForAll("addresses") byte[] raw) {
        IpAddress address = IpAddress.fromBytes(raw);

        assertThat(IpAddress.parse(address.toString())).contains(address);
    }

    @Property
    void theJdkReadsOurTextAsTheSameBytes(@ForAll("addresses") byte[] raw)
            throws UnknownHostException {
        IpAddress address = IpAddress.fromBytes(raw);

        InetAddress jdk = jdkLiteral(address.toString());

        assertThat(IpAddress.fromInetAddress(jdk)).isEqualTo(address);
    }

    @Property
    void weReadTheJdksTextAsTheSameAddress(@ForAll("addresses") byte[] raw)
            throws UnknownHostException {
        // getByAddress formats without any lookup.
        InetAddress jdk = InetAddress.getByAddress(raw);
        String text = jdk.getHostAddress();

        assertThat(IpAddress.parse(text)).contains(IpAddress.fromInetAddress(jdk));
    }

    @Property
    void aDottedQuadIsAcceptedExactlyWhenItIsStrict(@ForAll("dottedQuads") String text)
            throws UnknownHostException {
        boolean strict = isStrictV4(text);

        assertThat(IpAddress.parse(text).isPresent()).as(text).isEqualTo(strict);
        if (strict) {
            assertThat(IpAddress.of(text).bytes()).isEqualTo(jdkLiteral(text).getAddress());
        }
    }

    @Property
    void aMappedAddressIsItsIpv4Address(@ForAll @IntRange(min = 0, max = 255) int a,
            @ForAll @IntRange(min = 0, max = 255) int b,
            @ForAll @IntRange(min = 0, max = 255) int c,
            @ForAll @IntRange(min = 0, max = 255) int d) {
        String v4 = a + "." + b + "." + c + "." + d;

        assertThat(IpAddress.parse("::ffff:" + v4)).contains(IpAddress.of(v4));
        assertThat(IpAddress.parse("::FFFF:" + v4)).contains(IpAddress.of(v4));
        assertThat(IpAddress.parse("0:0:0:0:0:ffff:" + v4)).contains(IpAddress.of(v4));
    }

    @Property
    void aZoneIdIsNeverAnAddress(@ForAll("addresses") byte[] raw,
            @ForAll("zones") String zone) {
        IpAddress address = IpAddress.fromBytes(raw);
        Assume.that(!address.isV4());

        assertThat(IpAddress.parse(address + "%" + zone)).isEmpty();
    }

    @Property
    void aNetworkSurvivesItsOwnText(@ForAll("networks") Cidr network) {
        assertThat(Cidr.parse(network.toString())).isEqualTo(network);
    }

    @Property
    void aNetworkContainsTheAddressItWasMadeFrom(@ForAll("addresses") byte[] raw,
            @ForAll @IntRange(min = 0, max = 128) int prefix) {
        IpAddress address = IpAddress.fromBytes(raw);
        Assume.that(prefix <= address.bitLength());

        assertThat(Cidr.enclosing(address, prefix).contains(address)).isTrue();
    }

    @Property
    void aNarrowerNetworkLiesInsideTheWiderOne(@ForAll("addresses") byte[] raw,
            @ForAll("addresses") byte[] other, @ForAll @IntRange(min = 0, max = 128) int wide,
            @ForAll @IntRange(min = 0, max = 128) int narrow) {
        IpAddress address = IpAddress.fromBytes(raw);
        IpAddress probe = IpAddress.fromBytes(other);
        Assume.that(wide <= narrow && narrow <= address.bitLength());

        if (Cidr.enclosing(address, narrow).contains(probe)) {
            assertThat(Cidr.enclosing(address, wide).contains(probe)).isTrue();
        }
    }

    @Property
    void containmentAgreesWithArithmeticOnMasks(@ForAll("networks") Cidr network,
            @ForAll("addresses") byte[] raw) {
        IpAddress address = IpAddress.fromBytes(raw);
        boolean sameFamily = address.isV4() == network.network().isV4();
        int bits = network.network().bitLength();
        BigInteger shift = BigInteger.ONE.shiftLeft(bits - network.prefixLength());
        boolean expected = sameFamily && new BigInteger(1, address.bytes()).divide(shift)
                .equals(new BigInteger(1, network.network().bytes()).divide(shift));

        assertThat(network.contains(address)).isEqualTo(expected);
    }

    @Property
    void theWholeFamilyContainsEveryAddressOfItAndNoneOfTheOther(
            @ForAll("addresses") byte[] raw) {
        IpAddress address = IpAddress.fromBytes(raw);

        assertThat(Cidr.parse("0.0.0.0/0").contains(address)).isEqualTo(address.isV4());
        assertThat(Cidr.parse("::/0").contains(address)).isEqualTo(!address.isV4());
    }

    @Property
    void aSingleHostContainsOnlyItself(@ForAll("addresses") byte[] raw,
            @ForAll("addresses") byte[] other) {
        IpAddress address = IpAddress.fromBytes(raw);
        IpAddress probe = IpAddress.fromBytes(other);

        assertThat(Cidr.parse(address.toString()).contains(probe))
                .isEqualTo(address.equals(probe));
    }

    @Property
    void hostBitsAreRefused(@ForAll("addresses") byte[] raw,
            @ForAll @IntRange(min = 0, max = 127) int prefix) {
        IpAddress address = IpAddress.fromBytes(raw);
        Assume.that(prefix < address.bitLength());
        Assume.that(!Cidr.enclosing(address, prefix).network().equals(address));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Cidr.parse(address + "/" + prefix))
                .withMessageContaining("host bits");
    }

    @Property
    void aPrefixBeyondTheFamilyIsRefused(@ForAll("addresses") byte[] raw,
            @ForAll @IntRange(min = 1, max = 999) int excess) {
        IpAddress network = Cidr.enclosing(IpAddress.fromBytes(raw), 0).network();
        int prefix = network.bitLength() + excess;

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Cidr.parse(network + "/" + prefix));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Cidr.parse(network + "/-" + excess));
    }

    /** IPv4, IPv6, and IPv6 with runs of zero groups so that {@code ::} is exercised. */
    @Provide
    Arbitrary<byte[]> addresses() {
        Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<byte[]> sparseV6 = Combinators.combine(v6,
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 8))
                .as((bytes, from, length) -> {
                    for (int group = from; group < Math.min(8, from + length); group++) {
                        bytes[2 * group] = 0;
                        bytes[2 * group + 1] = 0;
                    }
                    return bytes;
                });
        Arbitrary<byte[]> mapped = v4.map(four -> {
            byte[] bytes = new byte[16];
            bytes[10] = (byte) 0xff;
            bytes[11] = (byte) 0xff;
            System.arraycopy(four, 0, bytes, 12, 4);
            return bytes;
        });
        return Arbitraries.frequencyOf(Tuple.of(3, v4), Tuple.of(2, v6), Tuple.of(3, sparseV6),
                Tuple.of(1, mapped));
    }

    @Provide
    Arbitrary<Cidr> networks() {
        return Combinators.combine(addresses(), Arbitraries.integers().between(0, 128))
                .as((raw, prefix) -> {
                    IpAddress address = IpAddress.fromBytes(raw);
                    return Cidr.enclosing(address, Math.min(prefix, address.bitLength()));
                });
    }

    /** Four parts of up to three digits, leading zeros and values above 255 included. */
    @Provide
    Arbitrary<String> dottedQuads() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 999).map(String::valueOf),
                Arbitraries.integers().between(0, 99).map(n -> "0" + n),
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(4));
        return Combinators.combine(part, part, part, part)
                .as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.oneOf(Arbitraries.of("eth0", "1", "lo", "25eth0", "en0"),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8));
    }

    private static boolean isStrictV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1
                    && part.startsWith("0")) || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Asks the JDK about text that is an IP literal by construction, so never DNS. */
    private static InetAddress jdkLiteral(String literal) throws UnknownHostException {
        // Hex letters without a colon could be a hostname ("cafe"): only IPv6 may have them.
        String allowed = literal.indexOf(':') >= 0 ? "0123456789abcdefABCDEF.:" : "0123456789.";
        for (char c : literal.toCharArray()) {
            if (allowed.indexOf(c) < 0) {
                throw new IllegalArgumentException("not a literal: " + literal);
            }
        }
        InetAddress address = InetAddress.getByName(literal);
        return address instanceof Inet6Address v6 && v6.getScopeId() != 0
                ? InetAddress.getByAddress(v6.getAddress()) : address;
    }
}
