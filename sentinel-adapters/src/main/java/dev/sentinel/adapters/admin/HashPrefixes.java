package dev.sentinel.adapters.admin;

/**
 * The shape of a token-hash prefix in a search: 1 to 64 lower-case hex digits.
 *
 * <p>Thread-safe: stateless.
 */
public final class HashPrefixes {

    private HashPrefixes() {
    }

    /**
     * Checks a prefix.
     *
     * @param prefix the prefix
     * @return the prefix
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static String check(String prefix) {
        if (prefix.isEmpty() || prefix.length() > 64 || !prefix.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("hash prefix '" + shorten(prefix)
                    + "' is not valid: expected 1 to 64 lower-case hex digits");
        }
        return prefix;
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
