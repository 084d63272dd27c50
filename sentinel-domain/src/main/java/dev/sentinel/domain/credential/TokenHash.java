package dev.sentinel.domain.credential;

import java.util.Objects;

/**
 * The identity of a model API key: {@code HMAC-SHA256(secret, canonical key)} in lower-case
 * hex. It is what Sentinel stores, caches and logs in place of the key.
 *
 * @param hex 64 lower-case hex digits
 */
public record TokenHash(String hex) {

    private static final int HEX_LENGTH = 64;

    /**
     * Checks the shape.
     *
     * @throws IllegalArgumentException when {@code hex} is not 64 lower-case hex digits
     */
    public TokenHash {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != HEX_LENGTH || !isLowerHex(hex)) {
            throw new IllegalArgumentException("a token hash is 64 lower-case hex digits, got "
                    + hex.length() + " characters");
        }
    }

    /**
     * Returns the first characters, enough for an admin to tell keys apart.
     *
     * @param length how many hex digits, at most 64
     * @return the prefix
     */
    public String prefix(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a prefix length is at least 0, got " + length);
        }
        return hex.substring(0, Math.min(length, HEX_LENGTH));
    }

    /** Returns the hex digits. */
    @Override
    public String toString() {
        return hex;
    }

    static boolean isLowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
