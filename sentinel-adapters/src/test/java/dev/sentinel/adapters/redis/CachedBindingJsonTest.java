package dev.sentinel.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingCache;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachedBindingJsonTest {

    @Test
    void aKeyBoundAheadOfUseKeepsItsMissingLastAddressThroughTheCache() {
        Binding unused = new Binding(7, Bindings.randomHash(), "sk-ab…wxyz",
                List.of(Cidr.parse("10.9.0.0/16")), BindingStatus.ACTIVE, true, Bindings.T0,
                Bindings.T0, Optional.empty(), "ops", 1);
        Binding used = new Binding(8, Bindings.randomHash(), "sk-cd…wxyz",
                List.of(Cidr.parse("10.9.0.0/16")), BindingStatus.ACTIVE, false, Bindings.T0,
                Bindings.T0, Optional.of(IpAddress.of("10.9.3.4")), "", 0);

        for (Binding binding : List.of(unused, used)) {
            BindingCache.Cached cached = new BindingCache.Cached(binding, Bindings.T0);

            assertThat(CachedBindingJson.decode(CachedBindingJson.encode(cached)))
                    .contains(cached);
        }
    }
}
