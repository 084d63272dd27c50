package dev.sentinel.app.support;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes fresh model API keys the way New API does (48 letters and digits after {@code sk-})
 * and remembers every one handed out (also for the scan after the whole run, see
 * {@link AtRest}), so a test can prove that none of them was stored, cached or logged.
 */
public final class Keys {

    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

    private Keys() {
    }

    /** Returns a new {@code sk-} key and records it. */
    public static String fresh() {
        StringBuilder key = new StringBuilder("sk-");
        for (int i = 0; i < 48; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        String value = key.toString();
        ISSUED.add(value);
        AtRest.secret(value);
        return value;
    }

    /** Returns the part after {@code sk-}: what a scan for leaked keys must look for. */
    public static String body(String key) {
        return key.startsWith("sk-") ? key.substring(3) : key;
    }

    /** Returns every key issued in this JVM. */
    public static List<String> issued() {
        return List.copyOf(ISSUED);
    }
}
