package dev.sentinel.app.secrets;

import dev.sentinel.domain.SentinelException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * Secrets the embedded default invents when they are not configured: kept in files under
 * the data folder, so that token hashes and admin logins survive restarts. The log names the
 * file, never the value.
 *
 * <p>Thread-safe for distinct names; meant to be used once at start.
 */
public final class GeneratedSecrets {

    private static final System.Logger LOG = System.getLogger(GeneratedSecrets.class.getName());
    private static final String ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Path folder;
    private final SecureRandom random = new SecureRandom();

    /**
     * Creates the store.
     *
     * @param folder the data folder; secrets go to {@code folder/secrets/}
     */
    public GeneratedSecrets(Path folder) {
        this.folder = folder.resolve("secrets");
    }

    /**
     * Returns the configured value, or the one kept in the file, or a new one written there.
     *
     * @param variable the configuration variable, which is also the file name
     * @param configured the configured value, if any
     * @param length the length of a new value
     * @return the secret
     */
    public String resolve(String variable, Optional<String> configured, int length) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = folder.resolve(variable.toLowerCase(Locale.ROOT));
        try {
            Files.createDirectories(folder);
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            String value = newSecret(length);
            write(file, value);
            LOG.log(Level.INFO, "generated secret variable={0} file={1}", variable,
                    file.toAbsolutePath());
            return value;
        } catch (IOException e) {
            throw new SentinelException("cannot keep " + variable + " in " + file + " ("
                    + e.getClass().getSimpleName() + "): set " + variable
                    + " or make DATA_DIR writable", e);
        }
    }

    private String newSecret(int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return value.toString();
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // Another start raced us; its value is overwritten only if the file is empty.
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.TRUNCATE_EXISTING);
    }
}
