package dev.sentinel.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * What a whole integration run leaves for the secret scan that follows it
 * ({@code WholeRunSecretScan}): every raw key and secret the tests used, the schemas and
 * Redis prefixes they kept instead of removing, and the captured log. The build names the
 * folder with the system property {@value #PROPERTY}; without it (a test started on its own)
 * nothing is written and every test removes its data as before.
 *
 * <p>Thread-safe; each file is appended to and flushed line by line, so a run that dies
 * still leaves what it had.
 */
public final class AtRest {

    /** The system property naming the folder. */
    public static final String PROPERTY = "sentinel.it.atRest";

    private static final Optional<Path> FOLDER = Optional.ofNullable(
            System.getProperty(PROPERTY)).filter(name -> !name.isBlank()).map(Path::of);
    private static final Ledger SECRETS = new Ledger("secrets.txt");
    private static final Ledger KEPT = new Ledger("kept.txt");
    private static final Ledger LOG = new Ledger("log.txt");

    private AtRest() {
    }

    /** Returns whether tests keep their data for the scan after the run. */
    public static boolean keepsData() {
        return FOLDER.isPresent();
    }

    /** Returns the folder, when the build named one. */
    public static Optional<Path> folder() {
        return FOLDER;
    }

    /** Records a raw secret (a key, a password, a signing secret, a webhook token). */
    public static void secret(String raw) {
        if (raw.indexOf('\n') >= 0 || raw.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a secret is recorded one per line");
        }
        SECRETS.append(raw + "\n");
    }

    /** Records a schema left in place for the scan, which drops it afterwards. */
    public static void keepSchema(String schema) {
        KEPT.append("schema " + schema + "\n");
    }

    /** Records a Redis prefix left in place for the scan, which deletes it afterwards. */
    public static void keepRedisPrefix(String prefix) {
        KEPT.append("redis " + prefix + "\n");
    }

    /** Appends formatted log text. */
    public static void log(String text) {
        LOG.append(text);
    }

    /** Returns the recorded secrets, each once. */
    public static List<String> secrets() {
        return SECRETS.lines().stream().distinct().toList();
    }

    /** Returns the kept schemas. */
    public static List<String> keptSchemas() {
        return kept("schema ");
    }

    /** Returns the kept Redis prefixes. */
    public static List<String> keptRedisPrefixes() {
        return kept("redis ");
    }

    /** Returns the log file's path, when the build named a folder. */
    public static Optional<Path> logFile() {
        return FOLDER.map(folder -> folder.resolve(LOG.name));
    }

    /** Empties every file, once the scan has read them and removed the kept data. */
    public static void clear() {
        SECRETS.clear();
        KEPT.clear();
        LOG.clear();
    }

    private static List<String> kept(String kind) {
        return KEPT.lines().stream().filter(line -> line.startsWith(kind))
                .map(line -> line.substring(kind.length())).distinct().toList();
    }

    /** One append-only file in the folder, opened on first use. */
    private static final class Ledger {
        private final String name;
        private Writer writer;

        Ledger(String name) {
            this.name = name;
        }

        synchronized void append(String text) {
            if (FOLDER.isEmpty()) {
                return;
            }
            try {
                if (writer == null) {
                    Files.createDirectories(FOLDER.get());
                    writer = Files.newBufferedWriter(FOLDER.get().resolve(name),
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                writer.write(text);
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized List<String> lines() {
            if (FOLDER.isEmpty() || !Files.exists(FOLDER.get().resolve(name))) {
                return List.of();
            }
            try {
                return Files.readAllLines(FOLDER.get().resolve(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void clear() {
            if (FOLDER.isEmpty()) {
                return;
            }
            try {
                if (writer != null) {
                    writer.close();
                    writer = null;
                }
                Files.deleteIfExists(FOLDER.get().resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
