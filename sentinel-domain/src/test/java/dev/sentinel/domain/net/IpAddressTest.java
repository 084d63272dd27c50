package dev.sentinel.domain.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0, 0, 0, 0",
        "255.255.255.255, 255, 255, 255, 255",
        "192.0.2.7, 192, 0, 2, 7",
        "10.20.30.40, 10, 20, 30, 40",
        "100.0.0.1, 100, 0, 0, 1"
    })
    void parsesFourDecimalParts(String text, int a, int b, int c, int d) {
        IpAddress address = IpAddress.of(text);

        assertThat(address.isV4()).isTrue();
        assertThat(address.bitLength()).isEqualTo(32);
        assertThat(address.bytes()).containsExactly((byte) a, (byte) b, (byte) c, (byte) d);
        assertThat(address).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "010.0.0.1", "0x0a.0.0.1", "0X0A.0.0.1", "127.1", "1.2.3", "1", "1.2.3.4.5",
        "256.0.0.1", "0.0.0.256", "999.1.1.1", "1000.1.1.1", "+1.2.3.4", "-1.2.3.4",
        "1.2.3.-4", "01.2.3.4", "00.0.0.0", "1.2.3.04", "1e2.0.0.1",
        " 1.2.3.4", "1.2.3.4 ", "1. 2.3.4", "1.2.3.4\n", "\t1.2.3.4", "1 .2.3.4",
        "\uff11.2.3.4", "1.2.3.\uff14", "\u0661.2.3.4", "1.2.\u0663.4", "\u0967.2.3.4",
        "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.", "...", "....", ".",
        "1.2.3.4/32", "1.2.3.4%eth0", "a.b.c.d", "localhost", "example.com", ""
    })
    void refusesEveryIpv4FormButFourPlainDecimalParts(String text) {
        assertThat(IpAddress.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "::                                      | ::",
        "::1                                     | ::1",
        "1::                                     | 1::",
        "0:0:0:0:0:0:0:0                         | ::",
        "0:0:0:0:0:0:0:1                         | ::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
        "2001:DB8::ABCD                          | 2001:db8::abcd",
        "2001:Db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1",
        "2001:db8:0:0:1:0:0:0                    | 2001:db8:0:0:1::",
        "1:0:0:2:0:0:0:3                         | 1:0:0:2::3",
        "1:0:0:2:2:0:0:3                         | 1::2:2:0:0:3",
        "2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1",
        "1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0",
        "::2:3:4:5:6:7:8                         | 0:2:3:4:5:6:7:8",
        "fe80::1                                 | fe80::1",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "::1.2.3.4                               | ::102:304",
        "64:ff9b::192.0.2.33                     | 64:ff9b::c000:221",
        "1:2:3:4:5:6:1.2.3.4                     | 1:2:3:4:5:6:102:304",
        "::ffff:0:1.2.3.4                        | ::ffff:0:102:304"
    })
    void parsesIpv6FormsAndPrintsTheRfc5952Text(String text, String canonical) {
        IpAddress address = IpAddress.of(text);

        assertThat(address.isV4()).isFalse();
        assertThat(address.bitLength()).isEqualTo(128);
        assertThat(address).hasToString(canonical);
        assertThat(IpAddress.of(canonical)).isEqualTo(address);
    }

    @Test
    void theFullAndTheCompressedFormAreOneAddress() {
        assertThat(IpAddress.of("0:0:0:0:0:0:0:1")).isEqualTo(IpAddress.of("::1"))
                .hasSameHashCodeAs(IpAddress.of("::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "::ffff:0102:0304", "::ffff:102:304",
        "0:0:0:0:0:ffff:1.2.3.4", "0:0:0:0:0:FFFF:0102:0304", "0000::ffff:1.2.3.4"
    })
    void anIpv4MappedAddressIsTheIpv4Address(String text) {
        IpAddress mapped = IpAddress.of(text);

        assertThat(mapped).isEqualTo(IpAddress.of("1.2.3.4"));
        assertThat(mapped.isV4()).isTrue();
        assertThat(mapped).hasToString("1.2.3.4");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "fe80::1%eth0", "fe80::1%1", "fe80::1%", "::1%lo",
        "[::1]", "[::1]:80", "[2001:db8::1]:443", "[::1", "::1]",
        "1::2::3", "::1::", "1:::2", ":::", "::::", ":::1", "1:::",
        "12345::", "::12345", "1:2:3:4:5:6:7:10000",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
        "1:2:3:4::5:6:7:8", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:", ":1::", "::1:", "1:", ":1",
        ":", "g::", "::g", "::-1", "::+1", "::0x1", " ::1", "::1 ", ":: 1", "::\uff11",
        "::ffff:1.2.3", "::ffff:01.2.3.4", "::ffff:256.1.1.1", "::ffff:1.2.3.4.5",
        "1.2.3.4::", "::1.2.3.4:5", "1.2.3.4:80", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6:7:8:1.2.3.4", "2001:db8::/32", "::1/128"
    })
    void refusesZoneIdsBracketsPortsAndMalformedIpv6(String text) {
        assertThat(IpAddress.parse(text)).isEmpty();
    }

    @Test
    void refusesTextLongerThanAnyLiteral() {
        String longest = "0000:0000:0000:0000:0000:ffff:255.255.255.255";

        assertThat(longest).hasSize(45);
        assertThat(IpAddress.parse(longest)).contains(IpAddress.of("255.255.255.255"));
        assertThat(IpAddress.parse("0" + longest)).isEmpty();
    }

    @Test
    void ofNamesTheValueAndWhatWasExpected() {
        assertThatThrownBy(() -> IpAddress.of("127.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'127.1'")
                .hasMessageContaining("192.0.2.7")
                .hasMessageContaining("2001:db8::7");
    }

    @Test
    void parseRefusesNull() {
        assertThatThrownBy(() -> IpAddress.parse(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("text");
    }

    @Test
    void fromBytesTakesFourOrSixteenBytes() {
        assertThat(IpAddress.fromBytes(new byte[] {(byte) 192, 0, 2, 7}))
                .isEqualTo(IpAddress.of("192.0.2.7"));
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 1;
        assertThat(IpAddress.fromBytes(v6)).isEqualTo(IpAddress.of("2001::1"));
    }

    @Test
    void fromBytesTurnsAnIpv4MappedAddressIntoIpv4() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};

        IpAddress address = IpAddress.fromBytes(mapped);

        assertThat(address.isV4()).isTrue();
        assertThat(address.bytes()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void anIpv4CompatibleAddressStaysIpv6() {
        byte[] compatible = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};

        assertThat(IpAddress.fromBytes(compatible).isV4()).isFalse();
        assertThat(IpAddress.fromBytes(compatible)).isNotEqualTo(IpAddress.of("1.2.3.4"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 5, 15, 17, 32})
    void fromBytesRefusesOtherLengthsNamingTheLength(int length) {
        assertThatThrownBy(() -> IpAddress.fromBytes(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 or 16")
                .hasMessageContaining("got " + length);
    }

    @Test
    void neitherTheCallersArrayNorTheReturnedCopyCanChangeAnAddress() {
        byte[] raw = {10, 0, 0, 1};
        IpAddress address = IpAddress.fromBytes(raw);

        raw[0] = 11;
        address.bytes()[1] = 5;

        assertThat(address).isEqualTo(IpAddress.of("10.0.0.1"));
    }

    @Test
    void fromInetAddressTakesTheBytesWithoutALookup() throws UnknownHostException {
        InetAddress v4 = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 9});
        InetAddress v6 = InetAddress.getByAddress(IpAddress.of("2001:db8::9").bytes());

        assertThat(IpAddress.fromInetAddress(v4)).isEqualTo(IpAddress.of("203.0.113.9"));
        assertThat(IpAddress.fromInetAddress(v6)).isEqualTo(IpAddress.of("2001:db8::9"));
    }

    @Test
    void fromInetAddressDropsTheScopeOfALinkLocalPeer() throws UnknownHostException {
        Inet6Address scoped = Inet6Address.getByAddress(null,
                IpAddress.of("fe80::1").bytes(), 3);

        assertThat(IpAddress.fromInetAddress(scoped)).isEqualTo(IpAddress.of("fe80::1"));
    }

    @Test
    void fromInetAddressTurnsAMappedPeerIntoIpv4() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
        Inet6Address peer = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(IpAddress.fromInetAddress(peer)).isEqualTo(IpAddress.of("1.2.3.4"));
    }

    @Test
    void toInetAddressGivesTheSameBytes() {
        assertThat(IpAddress.of("192.0.2.7").toInetAddress().getAddress())
                .containsExactly(192, 0, 2, 7);
        assertThat(IpAddress.of("2001:db8::7").toInetAddress().getAddress())
                .isEqualTo(IpAddress.of("2001:db8::7").bytes());
    }

    @Test
    void addressesOfDifferentFamiliesDiffer() {
        assertThat(IpAddress.of("0.0.0.0")).isNotEqualTo(IpAddress.of("::"));
        assertThat(IpAddress.of("0.0.0.1")).isNotEqualTo(IpAddress.of("::1"));
    }
}
