package dev.sentinel.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalInterceptCounterTest {

    private static final AlertWindow WINDOW = AlertWindow.containing(Bindings.T0,
            Duration.ofMinutes(1));

    private final LocalInterceptCounter counter = new LocalInterceptCounter();

    @Test
    void countsPerKeyAndWindowAndClaimsEachWindowOnce() {
        TokenHash key = Bindings.randomHash();

        assertThat(counter.add(key, IpAddress.of("192.0.2.1"), WINDOW)).isEqualTo(1);
        assertThat(counter.add(key, IpAddress.of("192.0.2.2"), WINDOW)).isEqualTo(2);
        assertThat(counter.add(Bindings.randomHash(), IpAddress.of("192.0.2.2"), WINDOW))
                .isEqualTo(1);

        assertThat(counter.claim(key, WINDOW)).isTrue();
        assertThat(counter.claim(key, WINDOW)).isFalse();
        assertThat(counter.claim(key, WINDOW.next())).isTrue();
        assertThat(counter.addresses(key, WINDOW)).containsExactly(IpAddress.of("192.0.2.1"),
                IpAddress.of("192.0.2.2"));
    }

    @Test
    void keepsABoundedSampleOfAddresses() {
        TokenHash key = Bindings.randomHash();
        for (int i = 1; i <= 50; i++) {
            counter.add(key, IpAddress.of("192.0.2." + i), WINDOW);
        }

        assertThat(counter.addresses(key, WINDOW))
                .hasSize(LocalInterceptCounter.MAX_ADDRESSES);
    }

    @Test
    void windowsBeforeThePreviousOneAreForgotten() {
        for (int i = 0; i < 10; i++) {
            counter.add(Bindings.randomHash(), IpAddress.of("192.0.2.1"), WINDOW);
        }
        counter.add(Bindings.randomHash(), IpAddress.of("192.0.2.1"), WINDOW.next());
        assertThat(counter.size()).isEqualTo(11);

        counter.add(Bindings.randomHash(), IpAddress.of("192.0.2.1"), WINDOW.next().next());

        assertThat(counter.size()).isEqualTo(2);
    }
}
