package dev.sentinel.adapters.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict percent-decoding of URL user info and parameters as UTF-8, for the store URLs:
 * a stray {@code %} is an error and {@code +} stays {@code +} (unlike form decoding).
 *
 * <p>Public only because both store packages use it. Thread-safe: stateless.
 */
public final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * Decodes text.
     *
     * @param text percent-encoded text
     * @return the decoded text, or empty when an escape is malformed
     */
    public static Optional<String> decode(String text) {
        if (text.indexOf('%') < 0) {
            return Optional.of(text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
            int low = i + 2 < text.length() ? hexDigit(text.charAt(i + 2)) : -1;
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            bytes.write((high << 4) | low);
            i += 2;
        }
        return Optional.of(bytes.toString(StandardCharsets.UTF_8));
    }

    private static int hexDigit(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
