package dev.sentinel.adapters.admin;

/**
 * How many bindings there are, by status.
 *
 * <p>Immutable and thread-safe.
 *
 * @param total every binding
 * @param active active bindings
 * @param banned banned bindings
 * @param rulesSetByAdmin bindings whose rules an admin set (never archived)
 */
public record BindingCounts(long total, long active, long banned, long rulesSetByAdmin) {
}
