package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.net.Cidr;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Turns domain values into what PostgreSQL accepts.
 *
 * <p>Thread-safe: stateless.
 */
final class SqlText {

    private SqlText() {
    }

    /**
     * Makes text storable: PostgreSQL's {@code text} cannot hold NUL, and request fields
     * written by clients (path, user agent) must not grow a row without bound.
     */
    static String storable(String text, int maxLength) {
        String cleaned = text.indexOf('\0') < 0 ? text : text.replace("\0", "");
        if (cleaned.length() <= maxLength) {
            return cleaned;
        }
        int end = maxLength;
        if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
            end--;
        }
        return cleaned.substring(0, end);
    }

    /** Returns the canonical text of each network, for {@code CAST(... AS cidr[])}. */
    static String[] cidrs(List<Cidr> rules) {
        String[] texts = new String[rules.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = rules.get(i).toString();
        }
        return texts;
    }

    /** Returns an instant as a value the driver sends as {@code timestamptz}. */
    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
