package dev.sentinel.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.Eventually;
import dev.sentinel.adapters.MutableClock;
import dev.sentinel.adapters.StoreState;
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

class RedisStoresIT {

    private static final Duration LOCAL_TTL = Duration.ofSeconds(1);
    private static final Duration FRESHNESS = Duration.ofMinutes(5);
    private static final Duration STALE_GRACE = Duration.ofHours(24);
    /** A per-process tier whose entries never expire by time: only an eviction drops them. */
    private static final Ticker FROZEN = () -> 0L;

    private static String prefix;
    private static RedisStores first;
    private static RedisStores second;

    private final MutableClock clock = new MutableClock(Bindings.T0);

    @BeforeAll
    static void connect() {
        prefix = TestRedis.uniquePrefix(RedisStoresIT.class);
        first = RedisStores.connect(TestRedis.config(prefix));
        second = RedisStores.connect(TestRedis.config(prefix));
    }

    @AfterAll
    static void deleteKeys() {
        first.close();
        second.close();
        TestRedis.deleteKeys(prefix);
    }

    @Test
    void bothInstancesAreUpAndAnswerPings() {
        assertThat(first.ping()).isTrue();
        assertThat(first.state()).isEqualTo(StoreState.UP);
        assertThat(second.state()).isEqualTo(StoreState.UP);
    }

    @Test
    void aBindingCachedByOneInstanceIsReadByAnotherWithTheTimeItWasCached() {
        BindingCache writer = first.bindingCache(LOCAL_TTL, FRESHNESS, STALE_GRACE, clock);
        BindingCache reader = second.bindingCache(LOCAL_TTL, FRESHNESS, STALE_GRACE, clock);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "2001:db8::7", Bindings.T0);

        writer.put(binding);
        clock.advance(Duration.ofMinutes(7));

        assertThat(reader.get(binding.tokenHash()))
                .contains(new BindingCache.Cached(binding, Bindings.T0));
        assertThat(reader.get(Bindings.randomHash())).isEmpty();
    }

    @Test
    void aRedisEntryLivesForTheFreshnessPlusTheStaleGrace() {
        BindingCache cache = first.bindingCache(LOCAL_TTL, FRESHNESS, STALE_GRACE, clock);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.7", Bindings.T0);

        cache.put(binding);

        try (Jedis redis = TestRedis.direct()) {
            long ttl = redis.pttl(first.keys().binding(binding.tokenHash()));
            assertThat(Duration.ofMillis(ttl))
                    .isGreaterThan(STALE_GRACE)
                    .isLessThanOrEqualTo(FRESHNESS.plus(STALE_GRACE));
        }
    }

    @Test
    void anEvictionDropsTheOtherInstancesPerProcessCopyWithinASecond() {
        BindingCache evicting = first.bindingCache(LOCAL_TTL, FRESHNESS, STALE_GRACE, clock);
        RedisBindingCache watching = second.bindingCache(LOCAL_TTL, FRESHNESS, STALE_GRACE,
                clock, FROZEN);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.8", Bindings.T0);
        evicting.put(binding);
        assertThat(watching.get(binding.tokenHash())).isPresent();
        assertThat(watching.localCopy(binding.tokenHash())).isPresent();

        evicting.evict(binding.tokenHash());

        assertThat(Eventually.within(Duration.ofSeconds(1),
                () -> watching.localCopy(binding.tokenHash()).isEmpty())).isTrue();
        assertThat(watching.get(binding.tokenHash())).isEmpty();
        assertThat(evicting.get(binding.tokenHash())).isEmpty();
    }

    @Test
    void thePerProcessTierAnswersWithoutAskingRedis() {
        RedisBindingCache cache = first.bindingCache(LOCAL_TTL, FRESHNESS, STALE_GRACE, clock,
                FROZEN);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.9", Bindings.T0);
        cache.put(binding);
        try (Jedis redis = TestRedis.direct()) {
            redis.del(first.keys().binding(binding.tokenHash()));
        }

        assertThat(cache.get(binding.tokenHash()))
                .contains(new BindingCache.Cached(binding, Bindings.T0));
    }

    @Test
    void anEntryThatDoesNotParseIsAMiss() {
        BindingCache cache = first.bindingCache(Duration.ZERO, FRESHNESS, STALE_GRACE, clock);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.10",
                Bindings.T0);
        try (Jedis redis = TestRedis.direct()) {
            redis.set(first.keys().binding(binding.tokenHash()), "{\"v\":1,\"id\":\"x\"");
        }

        assertThat(cache.get(binding.tokenHash())).isEmpty();
    }

    @Test
    void theQuotaGrantsTheLimitThenRefusesWithARetryAfterAndARefundFreesOne() {
        BindQuota quota = first.bindQuota(clock);
        Cidr network = Cidr.parse("203.0.113.0/24");
        BindQuota.Grant firstGrant = quota.acquire(network, 3);
        clock.advance(Duration.ofSeconds(15));
        quota.acquire(network, 3);
        quota.acquire(network, 3);

        BindQuota.Grant refused = quota.acquire(network, 3);

        assertThat(firstGrant).isInstanceOf(BindQuota.Granted.class);
        assertThat(refused).isEqualTo(new BindQuota.Exhausted(Duration.ofSeconds(45)));
        quota.refund(firstGrant);
        assertThat(quota.acquire(network, 3)).isInstanceOf(BindQuota.Granted.class);
        assertThat(quota.acquire(network, 3)).isInstanceOf(BindQuota.Exhausted.class);
    }

    @Test
    void twoInstancesShareOneCount() {
        BindQuota one = first.bindQuota(clock);
        BindQuota other = second.bindQuota(clock);
        Cidr network = Cidr.parse("2001:db8:aa::/64");

        assertThat(one.acquire(network, 2)).isInstanceOf(BindQuota.Granted.class);
        assertThat(other.acquire(network, 2)).isInstanceOf(BindQuota.Granted.class);

        assertThat(one.acquire(network, 2)).isInstanceOf(BindQuota.Exhausted.class);
        assertThat(other.acquire(network, 2)).isInstanceOf(BindQuota.Exhausted.class);
    }

    @Test
    void grantsOlderThanAMinuteStopCounting() {
        BindQuota quota = first.bindQuota(clock);
        Cidr network = Cidr.parse("192.0.2.77/32");
        quota.acquire(network, 1);
        assertThat(quota.acquire(network, 1)).isInstanceOf(BindQuota.Exhausted.class);

        clock.advance(Duration.ofSeconds(60));

        assertThat(quota.acquire(network, 1)).isInstanceOf(BindQuota.Granted.class);
    }

    @Test
    void deletingCachedBindingsSparesEveryOtherKey() {
        BindingCache cache = first.bindingCache(LOCAL_TTL, FRESHNESS, STALE_GRACE, clock);
        Binding binding = Bindings.firstUse(Bindings.randomHash(), "198.51.100.11",
                Bindings.T0);
        cache.put(binding);
        Cidr network = Cidr.parse("198.51.100.11/32");
        first.bindQuota(clock).acquire(network, 5);

        first.deleteCachedBindings();

        try (Jedis redis = TestRedis.direct()) {
            assertThat(redis.exists(first.keys().binding(binding.tokenHash()))).isFalse();
            assertThat(redis.exists(first.keys().bindQuota(network))).isTrue();
        }
    }
}
