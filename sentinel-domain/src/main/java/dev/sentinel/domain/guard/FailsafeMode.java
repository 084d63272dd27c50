package dev.sentinel.domain.guard;

import java.util.Locale;

/** What happens to a keyed request that no store can decide. */
public enum FailsafeMode {
    /** Refuse it with 503: no key is used unchecked. */
    CLOSED,
    /** Let it through unchecked, counted and logged: no client is turned away. */
    OPEN;

    /**
     * Parses {@code closed} or {@code open}, ignoring case.
     *
     * @param text the configured value
     * @return the mode
     * @throws IllegalArgumentException naming the value when it is neither
     */
    public static FailsafeMode parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "closed" -> CLOSED;
            case "open" -> OPEN;
            default -> throw new IllegalArgumentException("'" + text + "' is not a failsafe "
                    + "mode: expected closed or open");
        };
    }

    /** Returns the configuration spelling: {@code closed} or {@code open}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
