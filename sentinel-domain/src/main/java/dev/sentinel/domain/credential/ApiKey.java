package dev.sentinel.domain.credential;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model API key in canonical form: what New API would identify the token by.
 *
 * <p>The raw key never leaves this object except through {@link TokenHasher}; its
 * {@link #toString()} shows only the hint, so a key cannot reach a log by accident.
 */
public final class ApiKey {

    /**
     * What looks like a key in free text: {@code sk-} and 16 or more letters and digits, or
     * a bare run of 32 or more (New API's keys have 48) that is not all hex digits (a hash
     * or an id: keys are drawn from the whole alphabet).
     */
    /** The fewest letters and digits in a row that {@link #KEY_SHAPED} matches. */
    private static final int SHORTEST_KEY_BODY = 16;

    private static final Pattern KEY_SHAPED = Pattern.compile(
            "(?<![A-Za-z0-9])[sS][kK]-([A-Za-z0-9]{16,})|([A-Za-z0-9]{32,})");

    private final String canonical;
    private final String hint;

    private ApiKey(String canonical, String hint) {
        this.canonical = canonical;
        this.hint = hint;
    }

    /**
     * Canonicalises a candidate as New API identifies tokens: trim; strip one leading
     * {@code sk-} (case-sensitive); cut at the first {@code -} (a channel suffix); the rest
     * must be non-empty ASCII letters and digits; lower-case it, because MySQL collations
     * would match any case.
     *
     * @param candidate a credential value as extracted from the request
     * @return the key, or {@code null} when the candidate is not a valid key
     */
    static ApiKey canonicalise(String candidate) {
        String key = candidate.strip();
        if (key.startsWith("sk-")) {
            key = key.substring(3);
        }
        int dash = key.indexOf('-');
        if (dash >= 0) {
            key = key.substring(0, dash);
        }
        if (key.isEmpty() || !isAsciiAlphanumeric(key)) {
            return null;
        }
        return new ApiKey(key.toLowerCase(Locale.ROOT), hintOf(key));
    }

    /**
     * Returns a key for a value an admin pasted, with the same rules as a request.
     *
     * @param pasted the full key, with or without {@code sk-}
     * @return the key
     * @throws IllegalArgumentException when the value is not a valid key (the message does
     *         not repeat the value)
     */
    public static ApiKey fromPasted(String pasted) {
        Objects.requireNonNull(pasted, "pasted");
        ApiKey key = canonicalise(pasted);
        if (key == null) {
            throw new IllegalArgumentException("the pasted value is not a model API key: "
                    + "expected sk- followed by ASCII letters and digits");
        }
        return key;
    }

    /**
     * Replaces everything key-shaped in a text a client chose (a path, a user agent) by its
     * hint, so that the text can be stored and logged: a client that puts its key where no
     * key belongs still must not find it at rest.
     *
     * @param text the text
     * @return the text with each key-shaped run replaced by a hint such as {@code sk-ab…wxyz}
     */
    public static String maskKeysIn(String text) {
        Objects.requireNonNull(text, "text");
        // Every request passes here: most paths and user agents hold nothing key-shaped,
        // and telling so by one scan spares them the matcher's allocations.
        if (!hasAlphanumericRun(text, SHORTEST_KEY_BODY)) {
            return text;
        }
        Matcher keyShaped = KEY_SHAPED.matcher(text);
        if (!keyShaped.find()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        do {
            String body = keyShaped.group(1) != null ? keyShaped.group(1) : keyShaped.group(2);
            boolean hexOnly = keyShaped.group(1) == null && body.chars().allMatch(
                    c -> Character.digit(c, 16) >= 0);
            keyShaped.appendReplacement(masked, Matcher.quoteReplacement(hexOnly
                    ? body : hintOf(body)));
        } while (keyShaped.find());
        keyShaped.appendTail(masked);
        return masked.toString();
    }

    private static boolean hasAlphanumericRun(String text, int length) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9');
            run = alphanumeric ? run + 1 : 0;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    /** Returns the canonical key; only {@link TokenHasher} and tests should read it. */
    String canonical() {
        return canonical;
    }

    /** Returns a display hint such as {@code sk-ab…wxyz} that does not reveal the key. */
    public String hint() {
        return hint;
    }

    /** Returns whether two keys identify the same New API token. */
    public boolean sameTokenAs(ApiKey other) {
        return canonical.equals(other.canonical);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey that && canonical.equals(that.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    /** Returns the hint, never the key. */
    @Override
    public String toString() {
        return "ApiKey[" + hint + "]";
    }

    private static boolean isAsciiAlphanumeric(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9');
            if (!alphanumeric) {
                return false;
            }
        }
        return true;
    }

    /** Short keys show less, so that a hint never gives most of a key away. */
    static String hintOf(String key) {
        if (key.length() >= 16) {
            return "sk-" + key.substring(0, 2) + "…" + key.substring(key.length() - 4);
        }
        if (key.length() >= 8) {
            return "sk-…" + key.substring(key.length() - 2);
        }
        return "sk-…";
    }
}
