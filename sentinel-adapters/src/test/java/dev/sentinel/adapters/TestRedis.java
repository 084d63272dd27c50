package dev.sentinel.adapters;

import dev.sentinel.adapters.redis.RedisConfig;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis that integration tests run against: {@code SENTINEL_IT_REDIS_URL}, by default
 * the local server. Each test class uses a key prefix of its own and deletes its keys
 * afterwards.
 */
public final class TestRedis {

    private static final String URL = System.getenv().getOrDefault("SENTINEL_IT_REDIS_URL",
            "redis://127.0.0.1:6379");

    private TestRedis() {
    }

    /** Returns a fresh key prefix for a test class. */
    public static String uniquePrefix(Class<?> testClass) {
        return "sentinel-it:" + testClass.getSimpleName() + ":"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ":";
    }

    /** Returns the configuration for one key prefix. */
    public static RedisConfig config(String prefix) {
        return RedisConfig.fromRedisUrl(URL).toBuilder().keyPrefix(prefix).build();
    }

    /** Opens a plain connection to the test Redis, outside Sentinel's pool. */
    public static Jedis direct() {
        RedisConfig config = RedisConfig.fromRedisUrl(URL);
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder().resp2()
                .database(config.database());
        if (!config.user().isEmpty()) {
            client.user(config.user());
        }
        if (!config.password().isEmpty()) {
            client.password(config.password());
        }
        return new Jedis(config.host(), config.port(), client.build());
    }

    /** Deletes every key under a prefix. */
    public static void deleteKeys(String prefix) {
        try (Jedis jedis = direct()) {
            ScanParams params = new ScanParams().match(prefix.replace("*", "\\*") + "*")
                    .count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                List<String> keys = page.getResult();
                if (!keys.isEmpty()) {
                    jedis.del(keys.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
