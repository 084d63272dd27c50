package dev.sentinel.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.MutableClock;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.port.BindQuota;
import dev.sentinel.domain.port.BindingCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LocalStoresTest {

    private static final Cidr NETWORK = Cidr.parse("198.51.100.7/32");

    private final MutableClock clock = new MutableClock(Bindings.T0);

    @Test
    void aCachedBindingComesBackWithTheTimeItWasCached() {
        BindingCache cache = LocalStores.bindingCache(Duration.ofMinutes(5),
                Duration.ofHours(24), clock);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "10.0.0.7", Bindings.T0);

        cache.put(binding);
        clock.advance(Duration.ofMinutes(10));

        assertThat(cache.get(binding.tokenHash()))
                .contains(new BindingCache.Cached(binding, Bindings.T0));
    }

    @Test
    void anEvictedBindingIsAMiss() {
        BindingCache cache = LocalStores.bindingCache(Duration.ofMinutes(5),
                Duration.ofHours(24), clock);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "10.0.0.7", Bindings.T0);
        cache.put(binding);

        cache.evict(binding.tokenHash());

        assertThat(cache.get(binding.tokenHash())).isEmpty();
        assertThat(cache.get(Bindings.randomHash())).isEmpty();
    }

    @Test
    void theQuotaGrantsTheLimitAndThenSaysWhenOneIsFree() {
        BindQuota quota = LocalStores.bindQuota(clock);
        for (int i = 0; i < 3; i++) {
            assertThat(quota.acquire(NETWORK, 3)).isInstanceOf(BindQuota.Granted.class);
            clock.advance(Duration.ofSeconds(10));
        }

        BindQuota.Grant fourth = quota.acquire(NETWORK, 3);

        // The first grant was 30 s ago, so it leaves the minute in 30 s.
        assertThat(fourth).isEqualTo(new BindQuota.Exhausted(Duration.ofSeconds(30)));
    }

    @Test
    void theWindowSlidesSoOldGrantsStopCounting() {
        BindQuota quota = LocalStores.bindQuota(clock);
        quota.acquire(NETWORK, 1);
        assertThat(quota.acquire(NETWORK, 1)).isInstanceOf(BindQuota.Exhausted.class);

        clock.advance(Duration.ofSeconds(60));

        assertThat(quota.acquire(NETWORK, 1)).isInstanceOf(BindQuota.Granted.class);
    }

    @Test
    void aRefundFreesOneGrant() {
        BindQuota quota = LocalStores.bindQuota(clock);
        BindQuota.Grant first = quota.acquire(NETWORK, 2);
        quota.acquire(NETWORK, 2);
        assertThat(quota.acquire(NETWORK, 2)).isInstanceOf(BindQuota.Exhausted.class);

        quota.refund(first);

        assertThat(quota.acquire(NETWORK, 2)).isInstanceOf(BindQuota.Granted.class);
        assertThat(quota.acquire(NETWORK, 2)).isInstanceOf(BindQuota.Exhausted.class);
    }

    @Test
    void networksAreCountedApart() {
        BindQuota quota = LocalStores.bindQuota(clock);
        quota.acquire(NETWORK, 1);

        assertThat(quota.acquire(Cidr.parse("198.51.100.8/32"), 1))
                .isInstanceOf(BindQuota.Granted.class);
    }

    @Test
    void concurrentFirstUsesNeverExceedTheLimit() throws Exception {
        BindQuota quota = LocalStores.bindQuota(clock);
        List<Future<BindQuota.Grant>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 200; i++) {
                outcomes.add(threads.submit(() -> quota.acquire(NETWORK, 25)));
            }
        }
        int granted = 0;
        for (Future<BindQuota.Grant> outcome : outcomes) {
            if (outcome.get() instanceof BindQuota.Granted) {
                granted++;
            }
        }

        assertThat(granted).isEqualTo(25);
    }

    @Test
    void anAllowanceBelowOneIsABug() {
        assertThatThrownBy(() -> LocalStores.bindQuota(clock).acquire(NETWORK, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("new bindings per minute 0 is not positive");
    }
}
