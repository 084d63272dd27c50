package dev.sentinel.domain.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BindingValuesTest {

    private static final TokenHash HASH = new TokenHash("ab".repeat(32));
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theDefaultBindPrefixesAreOneIpv4AddressAndOneIpv6Slash64() {
        assertThat(BindPrefixes.DEFAULT.networkOf(IpAddress.of("203.0.113.9")))
                .isEqualTo(Cidr.parse("203.0.113.9/32"));
        assertThat(BindPrefixes.DEFAULT.networkOf(IpAddress.of("2001:db8:1:2:3:4:5:6")))
                .isEqualTo(Cidr.parse("2001:db8:1:2::/64"));
        assertThat(BindPrefixes.DEFAULT.networkOf(IpAddress.of("::ffff:203.0.113.9")))
                .isEqualTo(Cidr.parse("203.0.113.9/32"));
    }

    @Test
    void bindPrefixesOutOfRangeAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new BindPrefixes(33, 64)).hasMessageContaining("33")
                .hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> new BindPrefixes(-1, 64)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new BindPrefixes(32, 129)).hasMessageContaining("129")
                .hasMessageContaining("0 to 128");
        assertThat(new BindPrefixes(0, 0).networkOf(IpAddress.of("1.2.3.4")))
                .isEqualTo(Cidr.parse("0.0.0.0/0"));
    }

    @Test
    void aFirstUseIsAnActiveBindingOfOneNetworkWithoutId() {
        Binding binding = Binding.firstUse(HASH, "sk-…", Cidr.parse("203.0.113.9/32"),
                IpAddress.of("203.0.113.9"), NOW);

        assertThat(binding.id()).isZero();
        assertThat(binding.revision()).isZero();
        assertThat(binding.status()).isEqualTo(BindingStatus.ACTIVE);
        assertThat(binding.rulesSetByAdmin()).isFalse();
        assertThat(binding.rules()).containsExactly(Cidr.parse("203.0.113.9/32"));
        assertThat(binding.boundAt()).isEqualTo(NOW);
        assertThat(binding.lastSeenAt()).isEqualTo(NOW);
        assertThat(binding.note()).isEmpty();
        assertThat(binding.withId(7).id()).isEqualTo(7);
        assertThat(binding.withId(7).withId(0)).isEqualTo(binding);
    }

    @Test
    void aBindingAllowsAnAddressInAnyOfItsRules() {
        Binding binding = new Binding(1, HASH, "sk-…", List.of(Cidr.parse("10.0.0.0/8"),
                Cidr.parse("2001:db8::/32")), BindingStatus.ACTIVE, true, NOW, NOW,
                Optional.of(IpAddress.of("10.1.2.3")), "office", 2);

        assertThat(binding.allows(IpAddress.of("10.200.0.1"))).isTrue();
        assertThat(binding.allows(IpAddress.of("2001:db8:ffff::1"))).isTrue();
        assertThat(binding.allows(IpAddress.of("11.0.0.1"))).isFalse();
        assertThat(binding.allows(IpAddress.of("2001:db9::1"))).isFalse();
    }

    @Test
    void aBindingNeedsARuleAndKeepsItsOwnCopy() {
        assertThatThrownBy(() -> new Binding(1, HASH, "sk-…", List.of(), BindingStatus.ACTIVE,
                false, NOW, NOW, Optional.of(IpAddress.of("10.1.2.3")), "", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one rule");
        List<Cidr> rules = new ArrayList<>(List.of(Cidr.parse("10.0.0.0/8")));
        Binding binding = new Binding(1, HASH, "sk-…", rules, BindingStatus.ACTIVE, false,
                NOW, NOW, Optional.of(IpAddress.of("10.1.2.3")), "", 0);

        rules.add(Cidr.parse("0.0.0.0/0"));

        assertThat(binding.allows(IpAddress.of("192.0.2.1"))).isFalse();
    }

    @Test
    void interceptReasonsHaveStableCodes() {
        assertThat(InterceptReason.ofCode("outside_bound_networks"))
                .isEqualTo(InterceptReason.OUTSIDE_BOUND_NETWORKS);
        assertThat(InterceptReason.ofCode("banned")).isEqualTo(InterceptReason.BANNED);
        assertThatThrownBy(() -> InterceptReason.ofCode("BANNED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'BANNED'");
    }
}
