package dev.sentinel.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.Eventually;
import dev.sentinel.adapters.MutableClock;
import dev.sentinel.adapters.RecordingStateListener;
import dev.sentinel.adapters.SilentServer;
import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.TcpProxy;
import dev.sentinel.adapters.TestRedis;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.port.BindQuota;
import dev.sentinel.domain.port.BindingCache;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis that is not there, that hangs, or that goes away and comes back (a proxy in front
 * of the real one is cut and restored, so the shared server is never touched).
 */
class RedisOutageIT {

    private static final Duration FRESHNESS = Duration.ofMinutes(5);
    private static final Duration STALE_GRACE = Duration.ofHours(24);

    private static String prefix;
    private static RedisConfig direct;

    private final MutableClock clock = new MutableClock(Bindings.T0);
    private final RecordingStateListener listener = new RecordingStateListener();

    @BeforeAll
    static void choosePrefix() {
        prefix = TestRedis.uniquePrefix(RedisOutageIT.class);
        direct = TestRedis.config(prefix);
    }

    @AfterAll
    static void deleteKeys() {
        TestRedis.deleteKeys(prefix);
    }

    @Test
    void aRedisThatIsNotThereGivesMissesAndInProcessCountsNotExceptions() throws Exception {
        RedisConfig nowhere = direct.toBuilder().host("127.0.0.1")
                .port(SilentServer.freePort()).build();
        try (RedisStores stores = RedisStores.connect(nowhere, listener)) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.7",
                    Bindings.T0);

            cache.put(binding);
            cache.evict(binding.tokenHash());
            assertThat(cache.get(binding.tokenHash())).isEmpty();

            BindQuota quota = stores.bindQuota(clock);
            Cidr network = Cidr.parse("198.51.100.7/32");
            BindQuota.Grant granted = quota.acquire(network, 2);
            assertThat(granted).isInstanceOf(BindQuota.Granted.class);
            assertThat(quota.acquire(network, 2)).isInstanceOf(BindQuota.Granted.class);
            assertThat(quota.acquire(network, 2)).isInstanceOf(BindQuota.Exhausted.class);
            quota.refund(granted);
            assertThat(quota.acquire(network, 2)).isInstanceOf(BindQuota.Granted.class);

            assertThat(stores.state()).isEqualTo(StoreState.DOWN);
            assertThat(stores.ping()).isFalse();
            assertThat(listener.events()).containsExactly("down:redis");
        }
    }

    @Test
    void withoutRedisThePerProcessTierStillAnswers() throws Exception {
        RedisConfig nowhere = direct.toBuilder().port(SilentServer.freePort()).build();
        try (RedisStores stores = RedisStores.connect(nowhere)) {
            BindingCache cache = stores.bindingCache(Duration.ofSeconds(1), FRESHNESS,
                    STALE_GRACE, clock);
            Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.8",
                    Bindings.T0);

            cache.put(binding);

            assertThat(cache.get(binding.tokenHash()))
                    .contains(new BindingCache.Cached(binding, Bindings.T0));
        }
    }

    @Test
    void aRedisThatHangsCostsOneTimeoutAndThenCallsReturnAtOnce() throws Exception {
        try (SilentServer hung = SilentServer.start();
                RedisStores stores = RedisStores.connect(
                        direct.toBuilder().port(hung.port()).build(), listener)) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            assertThat(stores.state()).isEqualTo(StoreState.DOWN);

            // Without the circuit each call would wait for the 300 ms socket timeout.
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(cache.get(Bindings.randomHash())).isEmpty();
            }

            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofMillis(250));
            assertThat(listener.events()).containsExactly("down:redis");
        }
    }

    @Test
    void whenRedisComesBackEveryCachedBindingUnderThePrefixIsDeleted() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(direct.host(), direct.port());
                RedisStores stores = RedisStores.connect(
                        direct.toBuilder().port(proxy.port()).build(), listener);
                Jedis otherReplica = TestRedis.direct()) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            Binding cached = Bindings.firstUse(Bindings.randomHash(), "198.51.100.9",
                    Bindings.T0);
            cache.put(cached);
            Cidr network = Cidr.parse("198.51.100.9/32");
            stores.bindQuota(clock).acquire(network, 5);

            proxy.cut();
            assertThat(cache.get(cached.tokenHash())).isEmpty();
            assertThat(stores.state()).isEqualTo(StoreState.DOWN);
            // An entry this process could not evict meanwhile stands for the lost evictions.
            Binding stale = Bindings.firstUse(Bindings.randomHash(), "198.51.100.10",
                    Bindings.T0);
            otherReplica.set(stores.keys().binding(stale.tokenHash()), "{}");

            proxy.restore();

            assertThat(Eventually.within(Duration.ofSeconds(10),
                    () -> stores.state() == StoreState.UP)).isTrue();
            assertThat(otherReplica.exists(stores.keys().binding(cached.tokenHash())))
                    .isFalse();
            assertThat(otherReplica.exists(stores.keys().binding(stale.tokenHash())))
                    .isFalse();
            assertThat(otherReplica.exists(stores.keys().bindQuota(network))).isTrue();
            assertThat(listener.events()).containsExactly("down:redis", "up:redis");
            cache.put(cached);
            assertThat(cache.get(cached.tokenHash())).isPresent();
        }
    }

    @Test
    void evictionsReachAnInstanceAgainAfterItsSubscriptionWasCut() throws Exception {
        Ticker frozen = () -> 0L;
        try (TcpProxy proxy = TcpProxy.start(direct.host(), direct.port());
                RedisStores watching = RedisStores.connect(
                        direct.toBuilder().port(proxy.port()).build());
                RedisStores evicting = RedisStores.connect(direct)) {
            RedisBindingCache watchingCache = watching.bindingCache(Duration.ofSeconds(1),
                    FRESHNESS, STALE_GRACE, clock, frozen);
            BindingCache evictingCache = evicting.bindingCache(Duration.ofSeconds(1),
                    FRESHNESS, STALE_GRACE, clock);
            assertThat(watching.subscriptions()).isEqualTo(1);

            proxy.cut();
            proxy.restore();
            assertThat(Eventually.within(Duration.ofSeconds(10),
                    () -> watching.subscriptions() == 2)).isTrue();
            // Its pooled connection broke too; let the circuit notice and recover first.
            assertThat(Eventually.within(Duration.ofSeconds(10), watching::ping)).isTrue();
            Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.11",
                    Bindings.T0);
            evictingCache.put(binding);
            assertThat(watchingCache.get(binding.tokenHash())).isPresent();

            evictingCache.evict(binding.tokenHash());

            assertThat(Eventually.within(Duration.ofSeconds(1),
                    () -> watchingCache.localCopy(binding.tokenHash()).isEmpty())).isTrue();
        }
    }
}
