package dev.sentinel.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.SilentServer;
import dev.sentinel.adapters.TestRedis;
import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.InterceptCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisInterceptCounterIT {

    private static final AlertWindow WINDOW = AlertWindow.containing(Bindings.T0,
            Duration.ofMinutes(5));

    private static String prefix;
    private static RedisStores first;
    private static RedisStores second;

    @BeforeAll
    static void connect() {
        prefix = TestRedis.uniquePrefix(RedisInterceptCounterIT.class);
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
    void twoReplicasCountIntoOneWindowAndKeepItsAddresses() {
        TokenHash key = Bindings.randomHash();
        InterceptCounter one = first.interceptCounter();
        InterceptCounter other = second.interceptCounter();

        assertThat(one.add(key, IpAddress.of("192.0.2.1"), WINDOW)).isEqualTo(1);
        assertThat(other.add(key, IpAddress.of("192.0.2.2"), WINDOW)).isEqualTo(2);
        assertThat(one.add(key, IpAddress.of("192.0.2.1"), WINDOW)).isEqualTo(3);
        assertThat(one.add(key, IpAddress.of("192.0.2.1"), WINDOW.next())).isEqualTo(1);
        assertThat(one.add(Bindings.randomHash(), IpAddress.of("192.0.2.1"), WINDOW))
                .isEqualTo(1);

        assertThat(other.addresses(key, WINDOW)).containsExactlyInAnyOrder(
                IpAddress.of("192.0.2.1"), IpAddress.of("192.0.2.2"));
        try (Jedis redis = TestRedis.direct()) {
            long ttl = redis.pttl(first.keys().alertCount(key, WINDOW));
            assertThat(ttl).isBetween(1L, Duration.ofMinutes(10).toMillis());
        }
    }

    @Test
    void exactlyOneOfManyConcurrentClaimsOfAWindowWins() throws Exception {
        TokenHash key = Bindings.randomHash();
        List<InterceptCounter> counters = List.of(first.interceptCounter(),
                second.interceptCounter(), first.interceptCounter(),
                second.interceptCounter());
        List<Future<Boolean>> claims = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 40; i++) {
                InterceptCounter counter = counters.get(i % counters.size());
                Callable<Boolean> claim = () -> counter.claim(key, WINDOW);
                claims.add(threads.submit(claim));
            }
        }

        long won = 0;
        for (Future<Boolean> claim : claims) {
            won += claim.get() ? 1 : 0;
        }
        assertThat(won).isEqualTo(1);
        assertThat(first.interceptCounter().claim(key, WINDOW.next())).isTrue();
    }

    @Test
    void withoutRedisEachProcessCountsAndClaimsOnItsOwn() throws Exception {
        RedisConfig nowhere = TestRedis.config(prefix).toBuilder()
                .port(SilentServer.freePort()).build();
        try (RedisStores unreachable = RedisStores.connect(nowhere)) {
            InterceptCounter counter = unreachable.interceptCounter();
            TokenHash key = Bindings.randomHash();

            assertThat(counter.add(key, IpAddress.of("192.0.2.1"), WINDOW)).isEqualTo(1);
            assertThat(counter.add(key, IpAddress.of("192.0.2.1"), WINDOW)).isEqualTo(2);
            assertThat(counter.addresses(key, WINDOW))
                    .containsExactly(IpAddress.of("192.0.2.1"));
            assertThat(counter.claim(key, WINDOW)).isTrue();
            assertThat(counter.claim(key, WINDOW)).isFalse();
        }
    }
}
