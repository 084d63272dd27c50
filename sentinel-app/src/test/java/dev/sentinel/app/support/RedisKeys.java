package dev.sentinel.app.support;

import java.net.URI;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Removes a test's Redis keys, and only those. */
public final class RedisKeys {

    private RedisKeys() {
    }

    /** Deletes every key under a prefix. */
    public static void delete(String prefix) {
        try (RedisClient redis = RedisClient.create(URI.create(TestStores.REDIS_URL))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor,
                        new ScanParams().match(prefix + "*").count(500));
                if (!page.getResult().isEmpty()) {
                    redis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
