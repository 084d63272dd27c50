package dev.sentinel.domain.net;

import static dev.sentinel.domain.testing.RandomCases.bytes;
import static dev.sentinel.domain.testing.RandomCases.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0, 8",
        "0.0.0.0/0, 0.0.0.0, 0",
        "192.0.2.7/32, 192.0.2.7, 32",
        "192.0.2.128/25, 192.0.2.128, 25",
        "::/0, ::, 0",
        "2001:db8::/32, 2001:db8::, 32",
        "2001:DB8:0:0::/48, 2001:db8::, 48",
        "::1/128, ::1, 128",
        "2001:db8::7/128, 2001:db8::7, 128",
        "fe80::/10, fe80::, 10"
    })
    void parsesANetworkAndItsPrefix(String text, String network, int prefix) {
        Cidr cidr = Cidr.parse(text);

        assertThat(cidr.network()).isEqualTo(IpAddress.of(network));
        assertThat(cidr.prefixLength()).isEqualTo(prefix);
        assertThat(cidr).hasToString(network + "/" + prefix);
    }

    @Test
    void prefixZeroCoversTheWholeFamily() {
        assertThat(Cidr.parse("0.0.0.0/0").isWholeFamily()).isTrue();
        assertThat(Cidr.parse("::/0").isWholeFamily()).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").isWholeFamily()).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddress.of("255.255.255.255"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(IpAddress.of("ffff::1"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.7, 192.0.2.7/32",
        "2001:db8::7, 2001:db8::7/128",
        "::ffff:192.0.2.7, 192.0.2.7/32"
    })
    void aBareAddressIsASingleHostNetwork(String text, String expected) {
        assertThat(Cidr.parse(text)).hasToString(expected)
                .isEqualTo(Cidr.enclosing(IpAddress.of(text), IpAddress.of(text).bitLength()));
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1/24, 10.0.0.0/24",
        "11.0.0.0/7, 10.0.0.0/7",
        "192.0.2.129/25, 192.0.2.128/25",
        "255.255.255.255/0, 0.0.0.0/0",
        "2001:db8::1/64, 2001:db8::/64",
        "2001:db8:1:2:3:4:5:6/48, 2001:db8:1::/48",
        "::1/0, ::/0"
    })
    void refusesHostBitsNamingTheValueAndTheNetworkExpected(String text, String expected) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("host bits")
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "2001:0DB8::1/64, 2001:db8::/64",
        "2001:db8:0:0::1/64, 2001:db8::/64",
        "::ffff:10.0.0.1/104, 10.0.0.0/8",
        "::FFFF:0A00:0001/104, 10.0.0.0/8"
    })
    void aHostBitsErrorQuotesTheTextAsWritten(String text, String expected) {
        // The message quoted the canonical form (2001:db8::1/64, or 10.0.0.1/8 for a mapped
        // network) instead of what was written, so an operator searching the configuration
        // for the quoted value found nothing. It now quotes the text as written.
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' has host bits set: expected the network address "
                        + expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "10.0.0.0/33", "10.0.0.0/99", "10.0.0.0/1000", "::/129", "::/200",
        "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/00", "::/064",
        "10.0.0.0/", "::/", "/", "", "/8", "/0", "10.0.0.0/8/8", "10.0.0.0//8",
        "10.0.0.0/ 8", "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0/8.0", "10.0.0.0/x",
        "10.0.0.0/\uff18", "10.0.0/8", "010.0.0.0/8", "10.0.0.0-10.0.0.255",
        "fe80::%eth0/10", "[::]/0", "2001:db8::/32%1", "example.com/8"
    })
    void refusesMalformedTextNamingIt(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void aPrefixOutOfRangeSaysWhatRangeWasExpected() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
                .hasMessageContaining("'33'").hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.parse("::/129"))
                .hasMessageContaining("'129'").hasMessageContaining("0 to 128");
    }

    @Test
    void anIpv4MappedNetworkIsTheIpv4Network() {
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("::ffff:a00:0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("::ffff:192.0.2.7/128")).isEqualTo(Cidr.parse("192.0.2.7/32"));
        assertThat(Cidr.parse("::ffff:0.0.0.0/96")).isEqualTo(Cidr.parse("0.0.0.0/0"));
    }

    @Test
    void anIpv4MappedNetworkWiderThanTheMappedRangeIsRefused() {
        assertThatThrownBy(() -> Cidr.parse("::ffff:0.0.0.0/95"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'::ffff:0.0.0.0/95'")
                .hasMessageContaining("96 to 128");
    }

    @Test
    void anIpv4MappedNetworkWithHostBitsIsRefused() {
        assertThatThrownBy(() -> Cidr.parse("::ffff:10.0.0.1/104"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits")
                .hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void theConstructorChecksTheSameInvariants() {
        assertThatThrownBy(() -> new Cidr(IpAddress.of("10.0.0.0"), 33))
                .hasMessageContaining("33").hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> new Cidr(IpAddress.of("10.0.0.0"), -1))
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new Cidr(IpAddress.of("10.0.0.1"), 8))
                .hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> new Cidr(null, 8))
                .isInstanceOf(NullPointerException.class).hasMessage("network");
    }

    @Test
    void anIpv4RuleNeverContainsAnIpv6Client() {
        Cidr everyV4 = Cidr.parse("0.0.0.0/0");

        assertThat(everyV4.contains(IpAddress.of("::"))).isFalse();
        assertThat(everyV4.contains(IpAddress.of("::1"))).isFalse();
        assertThat(everyV4.contains(IpAddress.of("::1.2.3.4"))).isFalse();
        assertThat(everyV4.contains(IpAddress.of("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("1.2.3.4/32").contains(IpAddress.of("::102:304"))).isFalse();
    }

    @Test
    void anIpv6RuleNeverContainsAnIpv4Client() {
        Cidr everyV6 = Cidr.parse("::/0");

        assertThat(everyV6.contains(IpAddress.of("0.0.0.0"))).isFalse();
        assertThat(everyV6.contains(IpAddress.of("1.2.3.4"))).isFalse();
        assertThat(everyV6.contains(IpAddress.of("::ffff:1.2.3.4"))).isFalse();
    }

    @Test
    void anIpv4MappedClientIsMatchedByIpv4Rules() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};

        assertThat(Cidr.parse("1.2.3.0/24").contains(IpAddress.of("::ffff:1.2.3.4"))).isTrue();
        assertThat(Cidr.parse("1.2.3.4/32").contains(IpAddress.fromBytes(mapped))).isTrue();
        assertThat(Cidr.parse("1.2.4.0/24").contains(IpAddress.fromBytes(mapped))).isFalse();
    }

    @Test
    void containsAgreesWithArithmeticAtEveryIpv4PrefixLength() {
        for (int prefix = 0; prefix <= 32; prefix++) {
            int length = prefix;
            forAll(400, random -> Case.draw(random, 4, length), Case::check);
        }
    }

    @Test
    void containsAgreesWithArithmeticAtEveryIpv6PrefixLength() {
        for (int prefix = 0; prefix <= 128; prefix++) {
            int length = prefix;
            forAll(200, random -> Case.draw(random, 16, length), Case::check);
        }
    }

    @Test
    void enclosingGivesTheNetworkOfAnAddress() {
        assertThat(Cidr.enclosing(IpAddress.of("192.0.2.77"), 24))
                .isEqualTo(Cidr.parse("192.0.2.0/24"));
        assertThat(Cidr.enclosing(IpAddress.of("2001:db8:1:2:3:4:5:6"), 64))
                .isEqualTo(Cidr.parse("2001:db8:1:2::/64"));
        assertThat(Cidr.enclosing(IpAddress.of("192.0.2.77"), 0))
                .isEqualTo(Cidr.parse("0.0.0.0/0"));
        assertThat(Cidr.enclosing(IpAddress.of("2001:db8::1"), 128))
                .isEqualTo(Cidr.parse("2001:db8::1/128"));
        assertThat(Cidr.enclosing(IpAddress.of("::ffff:192.0.2.77"), 32))
                .isEqualTo(Cidr.parse("192.0.2.77/32"));
    }

    @Test
    void enclosingRefusesAPrefixOutsideTheFamily() {
        assertThatThrownBy(() -> Cidr.enclosing(IpAddress.of("192.0.2.77"), 33))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.enclosing(IpAddress.of("::1"), 129))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> Cidr.enclosing(IpAddress.of("::1"), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNetworkSurvivesItsOwnText() {
        forAll(2_000, random -> {
            boolean v4 = random.nextBoolean();
            IpAddress address = IpAddress.fromBytes(bytes(random, v4 ? 4 : 16));
            return Cidr.enclosing(address, random.nextInt(address.bitLength() + 1));
        }, cidr -> {
            assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
            assertThat(cidr.contains(cidr.network())).isTrue();
        });
    }

    /** A network, an address, and the answer computed with integers instead of bytes. */
    private record Case(Cidr network, IpAddress address, boolean expected) {

        static Case draw(SplittableRandom random, int byteLength, int prefix) {
            byte[] networkBytes = bytes(random, byteLength);
            byte[] addressBytes = bytes(random, byteLength);
            if (random.nextBoolean()) {
                // Half of the addresses share the network's first prefix bits.
                int bits = prefix;
                for (int i = 0; i < byteLength && bits > 0; i++, bits -= 8) {
                    int keep = Math.min(8, bits);
                    int mask = (0xff << (8 - keep)) & 0xff;
                    addressBytes[i] = (byte) ((networkBytes[i] & mask)
                            | (addressBytes[i] & ~mask & 0xff));
                }
            }
            Cidr cidr = Cidr.enclosing(IpAddress.fromBytes(networkBytes), prefix);
            int hostBits = byteLength * 8 - prefix;
            BigInteger networkValue = new BigInteger(1, cidr.network().bytes());
            BigInteger addressValue = new BigInteger(1, addressBytes);
            boolean expected = addressValue.shiftRight(hostBits)
                    .equals(networkValue.shiftRight(hostBits));
            return new Case(cidr, IpAddress.fromBytes(addressBytes), expected);
        }

        void check() {
            assertThat(network.contains(address)).isEqualTo(expected);
        }
    }
}
