package dev.sentinel.app.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Looks for secrets where Sentinel keeps things: a {@code pg_dump} of a schema, every Redis
 * key name and value under a prefix, and the captured log. A key counts as found in its
 * issued form and in the lower-case form Sentinel canonicalises to.
 */
public final class SecretScan {

    private SecretScan() {
    }

    /** Returns where each secret was found; empty means none leaked. */
    public static List<String> findLeaks(List<String> secrets, String schema,
            String redisPrefix, String log) {
        String dump = pgDump(schema);
        String redis = redisPrefix == null ? "" : redisDump(redisPrefix);
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            for (String form : List.of(secret, Keys.body(secret),
                    Keys.body(secret).toLowerCase(Locale.ROOT))) {
                if (form.length() < 16) {
                    continue;
                }
                if (dump.contains(form)) {
                    leaks.add("pg_dump of " + schema + " holds " + masked(form));
                }
                if (redis.contains(form)) {
                    leaks.add("Redis under " + redisPrefix + " holds " + masked(form));
                }
                if (log.contains(form)) {
                    leaks.add("the log holds " + masked(form));
                }
            }
        }
        return leaks;
    }

    /** Returns the text of a schema-only-and-data dump; fails when pg_dump cannot run. */
    public static String pgDump(String schema) {
        String database = TestStores.JDBC_URL.substring(TestStores.JDBC_URL.lastIndexOf('/')
                + 1).split("\\?")[0];
        ProcessBuilder builder = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U",
                TestStores.USER, "-d", database, "-n", schema, "--no-owner")
                .redirectErrorStream(true);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("pg_dump failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (!text.contains("CREATE TABLE " + schema + ".binding")) {
                throw new IllegalStateException("pg_dump of " + schema + " has no bindings "
                        + "table; the scan would prove nothing");
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("pg_dump cannot run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Returns every key name and value under a prefix, as text. */
    public static String redisDump(String prefix) {
        StringBuilder text = new StringBuilder();
        try (RedisClient redis = RedisClient.create(URI.create(TestStores.REDIS_URL))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor,
                        new ScanParams().match(prefix + "*").count(500));
                for (String key : page.getResult()) {
                    text.append(key).append('\n');
                    switch (redis.type(key)) {
                        case "string" -> text.append(redis.get(key));
                        case "hash" -> {
                            for (Map.Entry<String, String> e : redis.hgetAll(key).entrySet()) {
                                text.append(e.getKey()).append('=').append(e.getValue());
                            }
                        }
                        case "zset" -> text.append(redis.zrange(key, 0, -1));
                        case "set" -> text.append(redis.smembers(key));
                        case "list" -> text.append(redis.lrange(key, 0, -1));
                        default -> text.append("?");
                    }
                    text.append('\n');
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return text.toString();
    }

    private static String masked(String secret) {
        return secret.substring(0, 4) + "…(" + secret.length() + " chars)";
    }
}
