package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.AtRest;
import dev.sentinel.app.support.RedisKeys;
import dev.sentinel.app.support.SecretScan;
import dev.sentinel.app.support.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The secret scan after the whole integration run. The build runs it in a failsafe
 * execution of its own, after every other integration test, even after failed ones: each
 * test recorded the raw keys, passwords, signing secrets, session tokens and webhook tokens
 * it used, kept its schema and Redis keys, and the log was captured (see {@link AtRest}).
 * None of those secrets may appear in a {@code pg_dump} of the whole test database (every
 * schema), in any Redis key name or value, or in the log of the run. It then drops the data
 * the run kept.
 *
 * <p>Not named {@code *IT}, so that the main execution leaves it out.
 */
class WholeRunSecretScan {

    @Test
    void noSecretOfTheRunRestsInTheDatabaseInRedisOrInTheLog() throws IOException {
        assertThat(AtRest.folder()).as("system property " + AtRest.PROPERTY
                + " names the folder the run wrote to").isPresent();
        List<String> secrets = AtRest.secrets();
        List<String> schemas = AtRest.keptSchemas();
        List<String> prefixes = AtRest.keptRedisPrefixes();
        // Every integration test uses keys: an empty record means the recording broke, and
        // a scan for nothing would pass without proving anything.
        assertThat(secrets).as("secrets the run recorded").isNotEmpty();
        try {
            long started = System.nanoTime();
            SecretScan.Needles needles = SecretScan.Needles.of(secrets);
            Map<String, String> places = new LinkedHashMap<>();
            places.put("pg_dump of the test database", SecretScan.pgDumpAll());
            places.put("Redis, every key", SecretScan.redisDump(""));
            places.put("the captured log", read(AtRest.logFile().orElseThrow()));
            places.put("the tests' console output", consoleOutput());

            List<String> leaks = new ArrayList<>();
            long bytes = 0;
            StringBuilder sizes = new StringBuilder();
            for (Map.Entry<String, String> place : places.entrySet()) {
                long size = place.getValue().getBytes(StandardCharsets.UTF_8).length;
                bytes += size;
                sizes.append(' ').append(place.getKey().replace(' ', '_')).append('=')
                        .append(size);
                for (String found : needles.find(place.getValue())) {
                    leaks.add(place.getKey() + " holds " + found);
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("secrets at rest: secrets=%d forms=%d schemas=%d "
                    + "redisPrefixes=%d bytesScanned=%d%s hits=%d millis=%d%n",
                    secrets.size(), needles.size(), schemas.size(), prefixes.size(), bytes,
                    sizes, leaks.size(), millis);

            String dump = places.get("pg_dump of the test database");
            for (String schema : schemas) {
                assertThat(dump).as("the dump covers the kept schema " + schema)
                        .contains("CREATE TABLE " + schema + ".binding");
            }
            assertThat(leaks).as("raw keys or secrets at rest after the whole run").isEmpty();
        } finally {
            for (String schema : schemas) {
                TestStores.dropSchema(schema);
            }
            for (String prefix : prefixes) {
                RedisKeys.delete(prefix);
            }
            AtRest.clear();
        }
    }

    /** What the tests printed, Sentinel's console log included (one file per class). */
    private static String consoleOutput() throws IOException {
        Path reports = AtRest.folder().orElseThrow().resolveSibling("failsafe-reports");
        if (!Files.isDirectory(reports)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.filter(f -> f.toString().endsWith("-output.txt"))
                    .toList()) {
                text.append(read(file));
            }
        }
        return text.toString();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                : "";
    }
}
