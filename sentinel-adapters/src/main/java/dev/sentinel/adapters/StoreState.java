package dev.sentinel.adapters;

import java.util.Locale;

/** Whether a store answers, as its circuit last saw it. Immutable and thread-safe. */
public enum StoreState {
    /** The store answers; calls go through. */
    UP,
    /** The store failed at connection level; calls fail at once until a probe answers. */
    DOWN;

    /** Returns the spelling for health reports: {@code up} or {@code down}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
