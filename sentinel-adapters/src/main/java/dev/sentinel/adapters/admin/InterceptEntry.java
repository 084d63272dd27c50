package dev.sentinel.adapters.admin;

import dev.sentinel.domain.binding.Intercept;
import java.util.Objects;

/**
 * A row of the intercept log.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the row id; newer rows have larger ids
 * @param intercept what was stopped
 */
public record InterceptEntry(long id, Intercept intercept) {

    /** Checks that the intercept is present. */
    public InterceptEntry {
        Objects.requireNonNull(intercept, "intercept");
    }
}
