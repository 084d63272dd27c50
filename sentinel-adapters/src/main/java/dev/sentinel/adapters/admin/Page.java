package dev.sentinel.adapters.admin;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One page of a list and the size of the whole list.
 *
 * <p>Immutable and thread-safe when its items are.
 *
 * @param items the rows of this page
 * @param page the page number, from 1
 * @param size the page size asked for
 * @param total how many rows the whole list has
 * @param <T> the row type
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    /** Checks that nothing is missing and copies the items. */
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /**
     * Returns the same page with each row converted.
     *
     * @param converter the conversion
     * @param <R> the new row type
     * @return the converted page
     */
    public <R> Page<R> map(Function<? super T, ? extends R> converter) {
        return new Page<>(items.stream().<R>map(converter).toList(), page, size, total);
    }
}
