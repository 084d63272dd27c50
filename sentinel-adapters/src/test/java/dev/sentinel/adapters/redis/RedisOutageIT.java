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
import java.nio.file.Files;
import java.nio.file.Path;
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
    void aSingleLateReplyUnderLoadNoLongerMarksRedisDownNorWipesTheCache() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(direct.host(), direct.port());
                RedisStores stores = RedisStores.connect(
                        direct.toBuilder().port(proxy.port()).build(), listener);
                Jedis otherReplica = TestRedis.direct()) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            Binding cached = Bindings.firstUse(Bindings.randomHash(), "198.51.100.12",
                    Bindings.T0);
            cache.put(cached);

            // One reply later than the 300 ms socket timeout, as in a saturated process.
            proxy.delayReplies(Duration.ofMillis(450));
            assertThat(cache.get(cached.tokenHash())).isEmpty();
            proxy.delayReplies(Duration.ZERO);

            assertThat(stores.state()).isEqualTo(StoreState.UP);
            assertThat(cache.get(cached.tokenHash())).isPresent();
            assertThat(otherReplica.exists(stores.keys().binding(cached.tokenHash()))).isTrue();
            assertThat(listener.events()).isEmpty();
        }
    }

    @Test
    void aRedisThatStopsAnsweringIsMarkedDownWithinAboutASecond() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(direct.host(), direct.port());
                RedisStores stores = RedisStores.connect(
                        direct.toBuilder().port(proxy.port()).build(), listener)) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);

            proxy.delayReplies(Duration.ofSeconds(5));
            long start = System.nanoTime();
            int timedOut = 0;
            while (stores.state() == StoreState.UP && timedOut < 20) {
                assertThat(cache.get(Bindings.randomHash())).isEmpty();
                timedOut++;
            }
            Duration untilDown = Duration.ofNanos(System.nanoTime() - start);

            assertThat(stores.state()).isEqualTo(StoreState.DOWN);
            // The first late reply at 300 ms, then 1 s of nothing but late replies.
            assertThat(untilDown).isBetween(RedisStores.SLOW_REPLY_GRACE,
                    Duration.ofMillis(2500));
            long downStart = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(cache.get(Bindings.randomHash())).isEmpty();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - downStart))
                    .isLessThan(Duration.ofMillis(250));
            assertThat(listener.events()).containsExactly("down:redis");
        }
    }

    @Test
    void anOutageInWhichNoEvictionWasLostKeepsTheCachedBindings() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(direct.host(), direct.port());
                RedisStores stores = RedisStores.connect(
                        direct.toBuilder().port(proxy.port()).build(), listener);
                Jedis otherReplica = TestRedis.direct()) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            Binding cached = Bindings.firstUse(Bindings.randomHash(), "198.51.100.13",
                    Bindings.T0);
            cache.put(cached);

            proxy.cut();
            assertThat(cache.get(cached.tokenHash())).isEmpty();
            assertThat(stores.state()).isEqualTo(StoreState.DOWN);
            // A binding first seen meanwhile is only not cached: no entry is wrong for it.
            cache.put(Bindings.firstUse(Bindings.randomHash(), "198.51.100.14", Bindings.T0));
            proxy.restore();

            assertThat(Eventually.within(Duration.ofSeconds(10),
                    () -> stores.state() == StoreState.UP)).isTrue();
            assertThat(otherReplica.exists(stores.keys().binding(cached.tokenHash()))).isTrue();
            assertThat(cache.get(cached.tokenHash()))
                    .contains(new BindingCache.Cached(cached, Bindings.T0));
            assertThat(listener.events()).containsExactly("down:redis", "up:redis");
        }
    }

    @Test
    void anEvictionLostWhileRedisWasDownDeletesEveryCachedBindingOnRecovery()
            throws Exception {
        try (TcpProxy proxy = TcpProxy.start(direct.host(), direct.port());
                RedisStores stores = RedisStores.connect(
                        direct.toBuilder().port(proxy.port()).build(), listener);
                Jedis otherReplica = TestRedis.direct()) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            Binding cached = Bindings.firstUse(Bindings.randomHash(), "198.51.100.15",
                    Bindings.T0);
            cache.put(cached);
            Cidr network = Cidr.parse("198.51.100.15/32");
            stores.bindQuota(clock).acquire(network, 5);

            proxy.cut();
            assertThat(cache.get(cached.tokenHash())).isEmpty();
            assertThat(stores.state()).isEqualTo(StoreState.DOWN);
            cache.evict(cached.tokenHash());
            assertThat(stores.evictionsLost()).isTrue();
            proxy.restore();

            assertThat(Eventually.within(Duration.ofSeconds(10),
                    () -> stores.state() == StoreState.UP)).isTrue();
            assertThat(otherReplica.exists(stores.keys().binding(cached.tokenHash())))
                    .isFalse();
            assertThat(otherReplica.exists(stores.keys().bindQuota(network))).isTrue();
            assertThat(stores.evictionsLost()).isFalse();
            assertThat(listener.events()).containsExactly("down:redis", "up:redis");
        }
    }

    @Test
    void anEvictionAnsweredTooLateMarksRedisDownAndIsMadeGoodOnRecovery() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(direct.host(), direct.port());
                RedisStores stores = RedisStores.connect(
                        direct.toBuilder().port(proxy.port()).build(), listener);
                Jedis otherReplica = TestRedis.direct()) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            Binding evicted = Bindings.firstUse(Bindings.randomHash(), "198.51.100.16",
                    Bindings.T0);
            Binding other = Bindings.firstUse(Bindings.randomHash(), "198.51.100.17",
                    Bindings.T0);
            cache.put(evicted);
            cache.put(other);

            // The DEL may or may not have run: only a flush on recovery makes that certain.
            proxy.delayReplies(Duration.ofMillis(450));
            cache.evict(evicted.tokenHash());
            assertThat(stores.state()).isEqualTo(StoreState.DOWN);
            otherReplica.set(stores.keys().binding(evicted.tokenHash()), "{}");
            proxy.delayReplies(Duration.ZERO);

            assertThat(Eventually.within(Duration.ofSeconds(10),
                    () -> stores.state() == StoreState.UP)).isTrue();
            assertThat(otherReplica.exists(stores.keys().binding(evicted.tokenHash())))
                    .isFalse();
            assertThat(otherReplica.exists(stores.keys().binding(other.tokenHash())))
                    .isFalse();
            assertThat(listener.events()).containsExactly("down:redis", "up:redis");
        }
    }

    @Test
    void aRedisRestartedFromAnOlderSnapshotLosesItsCachedBindingsOnRecovery()
            throws Exception {
        Path dir = Files.createTempDirectory("redis-snapshot-");
        int port = SilentServer.freePort();
        Process server = startRedis(port, dir);
        try (RedisStores stores = RedisStores.connect(
                direct.toBuilder().port(port).build(), listener)) {
            BindingCache cache = stores.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE,
                    clock);
            Binding evicted = Bindings.firstUse(Bindings.randomHash(), "198.51.100.18",
                    Bindings.T0);
            cache.put(evicted);
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.save();
            }
            // Evicted for good, and no eviction lost: only the snapshot still holds it.
            cache.evict(evicted.tokenHash());

            server.destroy();
            server.waitFor();
            assertThat(cache.get(evicted.tokenHash())).isEmpty();
            assertThat(stores.state()).isEqualTo(StoreState.DOWN);
            server = startRedis(port, dir);
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThat(jedis.exists(stores.keys().binding(evicted.tokenHash()))).isTrue();
            }

            assertThat(Eventually.within(Duration.ofSeconds(10),
                    () -> stores.state() == StoreState.UP)).isTrue();
            assertThat(cache.get(evicted.tokenHash())).isEmpty();
            assertThat(stores.evictionsLost()).isFalse();
        } finally {
            server.destroy();
            server.waitFor();
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
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

    /** Starts a Redis of this test's own that keeps its snapshot in {@code dir}. */
    private static Process startRedis(int port, Path dir) throws Exception {
        Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "",
                "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                return "PONG".equals(jedis.ping());
            } catch (RuntimeException e) {
                return false;
            }
        })).isTrue();
        return process;
    }
}
