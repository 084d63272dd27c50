package dev.sentinel.app.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ahocorasick.trie.Emit;
import org.ahocorasick.trie.Trie;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Looks for secrets where Sentinel keeps things: a {@code pg_dump} of a schema, every Redis
 * key name and value under a prefix, and the captured log; or, after the whole run, the
 * whole database and every Redis key. A key counts as found in any letter case, with or
 * without {@code sk-}.
 */
public final class SecretScan {

    private SecretScan() {
    }

    /** Returns where each secret was found; empty means none leaked. */
    public static List<String> findLeaks(List<String> secrets, String schema,
            String redisPrefix, String log) {
        Needles needles = Needles.of(secrets);
        List<String> leaks = new ArrayList<>();
        for (String found : needles.find(pgDump(schema))) {
            leaks.add("pg_dump of " + schema + " holds " + found);
        }
        if (redisPrefix != null) {
            for (String found : needles.find(redisDump(redisPrefix))) {
                leaks.add("Redis under " + redisPrefix + " holds " + found);
            }
        }
        for (String found : needles.find(log)) {
            leaks.add("the log holds " + found);
        }
        return leaks;
    }

    /**
     * Every secret at once, in each form that would betray it: the whole secret, and for a
     * model key the part after {@code sk-}, in any letter case (Sentinel canonicalises keys
     * to lower case). One pass over a text finds all of them (Aho-Corasick), so a scan
     * costs the same with ten secrets or ten thousand.
     */
    public static final class Needles {
        private final Trie trie;
        private final int size;

        private Needles(Trie trie, int size) {
            this.trie = trie;
            this.size = size;
        }

        /** Builds the search; forms shorter than 16 characters are left out as too common. */
        public static Needles of(Collection<String> secrets) {
            Set<String> forms = new HashSet<>();
            for (String secret : secrets) {
                String form = Keys.body(secret).toLowerCase(Locale.ROOT);
                if (form.length() >= 16) {
                    forms.add(form);
                }
            }
            return new Needles(Trie.builder().ignoreCase().addKeywords(forms).build(),
                    forms.size());
        }

        /** Returns how many distinct forms are looked for. */
        public int size() {
            return size;
        }

        /** Returns each form found in the text, masked, once. */
        public List<String> find(CharSequence text) {
            if (size == 0) {
                return List.of();
            }
            Set<String> found = new LinkedHashSet<>();
            for (Emit emit : trie.parseText(text)) {
                found.add(masked(emit.getKeyword()));
            }
            return List.copyOf(found);
        }
    }

    /**
     * Returns a dump of the whole database, every schema; fails when pg_dump cannot run.
     * A schema that another run drops while the dump reads it can fail one attempt, so it
     * tries three times.
     */
    public static String pgDumpAll() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return runPgDump();
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Returns the text of a schema-only-and-data dump; fails when pg_dump cannot run. */
    public static String pgDump(String schema) {
        String text = runPgDump("-n", schema);
        if (!text.contains("CREATE TABLE " + schema + ".binding")) {
            throw new IllegalStateException("pg_dump of " + schema + " has no bindings "
                    + "table; the scan would prove nothing");
        }
        return text;
    }

    private static String runPgDump(String... selection) {
        String database = TestStores.JDBC_URL.substring(TestStores.JDBC_URL.lastIndexOf('/')
                + 1).split("\\?")[0];
        List<String> command = new ArrayList<>(List.of("pg_dump", "-h", "127.0.0.1", "-U",
                TestStores.USER, "-d", database, "--no-owner"));
        command.addAll(List.of(selection));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("pg_dump failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("pg_dump cannot run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Returns every key name and value under a prefix (all keys for {@code ""}), as text. */
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
                        case "none" -> text.append("(gone)");
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
