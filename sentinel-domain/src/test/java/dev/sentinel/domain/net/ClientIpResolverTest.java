package dev.sentinel.domain.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientIpResolverTest {

    private static final IpAddress NGINX = IpAddress.of("172.18.0.2");
    private static final IpAddress STRANGER = IpAddress.of("198.51.100.23");

    private final ClientIpResolver resolver = new ClientIpResolver(List.of(
            Cidr.parse("172.18.0.0/16"), Cidr.parse("fd00:18::/64")));

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeadersSay() {
        for (List<String> headers : List.of(List.<String>of(), List.of("203.0.113.9"),
                List.of("203.0.113.9", "192.0.2.1"), List.of("garbage"),
                List.of("172.18.0.2"))) {
            assertThat(resolver.resolve(STRANGER, headers))
                    .as("X-Real-IP %s", headers)
                    .isEqualTo(new ClientIpResolution.Resolved(STRANGER, false));
        }
    }

    @Test
    void withoutTrustedProxiesThePeerIsAlwaysTheClient() {
        ClientIpResolver direct = new ClientIpResolver(List.of());

        assertThat(direct.resolve(NGINX, List.of("203.0.113.9")))
                .isEqualTo(new ClientIpResolution.Resolved(NGINX, false));
        assertThat(direct.isTrustedProxy(NGINX)).isFalse();
    }

    @Test
    void aTrustedProxyWithoutTheHeaderIsRefused() {
        assertThat(resolver.resolve(NGINX, List.of()))
                .isInstanceOfSatisfying(ClientIpResolution.Refused.class, refused ->
                        assertThat(refused.detail()).contains("172.18.0.2")
                                .contains("no X-Real-IP").contains("exactly one"));
    }

    @Test
    void aTrustedProxySendingTwoHeadersIsRefusedEvenWhenTheyAgree() {
        for (List<String> headers : List.of(List.of("203.0.113.9", "192.0.2.1"),
                List.of("203.0.113.9", "203.0.113.9"))) {
            assertThat(resolver.resolve(NGINX, headers))
                    .isInstanceOfSatisfying(ClientIpResolution.Refused.class, refused ->
                            assertThat(refused.detail()).contains("2 X-Real-IP headers"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "1.2.3.4, 5.6.7.8", "1.2.3.4,5.6.7.8", "1.2.3.4 5.6.7.8", "1.2.3.4:80",
        "[2001:db8::1]", "[2001:db8::1]:443", "fe80::1%eth0", "fe80::1%1",
        "client.example.com", "localhost", "unknown", "garbage", "127.1", "010.0.0.1",
        "0x7f.0.0.1", "1.2.3.4/32", "for=1.2.3.4", "\"1.2.3.4\""
    })
    void aTrustedProxySendingAnythingButOneLiteralIsRefused(String value) {
        assertThat(resolver.resolve(NGINX, List.of(value)))
                .isInstanceOfSatisfying(ClientIpResolution.Refused.class, refused ->
                        assertThat(refused.detail()).contains("not one IP address"));
    }

    @Test
    void aTrustedProxyWithOneLiteralNamesTheClient() {
        assertThat(resolver.resolve(NGINX, List.of("203.0.113.9")))
                .isEqualTo(new ClientIpResolution.Resolved(IpAddress.of("203.0.113.9"), true));
        assertThat(resolver.resolve(NGINX, List.of("2001:db8::9")))
                .isEqualTo(new ClientIpResolution.Resolved(IpAddress.of("2001:db8::9"), true));
        assertThat(resolver.resolve(IpAddress.of("fd00:18::1"), List.of("2001:DB8::9")))
                .isEqualTo(new ClientIpResolution.Resolved(IpAddress.of("2001:db8::9"), true));
    }

    @Test
    void aMappedLiteralFromATrustedProxyIsTheIpv4Client() {
        assertThat(resolver.resolve(NGINX, List.of("::ffff:203.0.113.9")))
                .isEqualTo(new ClientIpResolution.Resolved(IpAddress.of("203.0.113.9"), true));
    }

    @Test
    void optionalWhitespaceAroundTheValueIsNotPartOfIt() {
        // HTTP allows spaces around a field value; they are framing, not part of the address.
        assertThat(resolver.resolve(NGINX, List.of(" 203.0.113.9\t")))
                .isEqualTo(new ClientIpResolution.Resolved(IpAddress.of("203.0.113.9"), true));
    }

    @Test
    void aTrustedProxyReachingUsOverMappedIpv6IsStillTrusted() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 172, 18,
            0, 2};

        assertThat(resolver.isTrustedProxy(IpAddress.fromBytes(mapped))).isTrue();
        assertThat(resolver.resolve(IpAddress.fromBytes(mapped), List.of("203.0.113.9")))
                .isEqualTo(new ClientIpResolution.Resolved(IpAddress.of("203.0.113.9"), true));
    }

    @Test
    void theTrustedListCannotBeChangedFromOutside() {
        List<Cidr> networks = new ArrayList<>(List.of(Cidr.parse("10.0.0.0/8")));
        ClientIpResolver copy = new ClientIpResolver(networks);

        networks.add(Cidr.parse("0.0.0.0/0"));

        assertThat(copy.trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"));
        assertThat(copy.isTrustedProxy(STRANGER)).isFalse();
        assertThatThrownBy(() -> copy.trustedProxies().add(Cidr.parse("0.0.0.0/0")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullsAreRefusedByName() {
        assertThatThrownBy(() -> resolver.resolve(null, List.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("peer");
        assertThatThrownBy(() -> resolver.resolve(NGINX, null))
                .isInstanceOf(NullPointerException.class).hasMessage("realIpValues");
    }
}
