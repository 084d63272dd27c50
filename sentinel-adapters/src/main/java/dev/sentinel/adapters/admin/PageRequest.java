package dev.sentinel.adapters.admin;

/**
 * Which page of a list to read: pages count from 1.
 *
 * <p>Immutable and thread-safe.
 *
 * @param page the page number, at least 1
 * @param size rows per page, 1 to {@value #MAX_SIZE}
 */
public record PageRequest(int page, int size) {

    /** The largest page a caller may ask for. */
    public static final int MAX_SIZE = 200;

    /** The page size when none is asked for. */
    public static final int DEFAULT_SIZE = 50;

    /** The largest page number: beyond it the offset would not fit the database's type. */
    public static final int MAX_PAGE = 1_000_000;

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException naming the value and the range
     */
    public PageRequest {
        if (page < 1 || page > MAX_PAGE) {
            throw new IllegalArgumentException("page " + page + " is out of range: expected "
                    + "1 to " + MAX_PAGE);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("page size " + size + " is out of range: "
                    + "expected 1 to " + MAX_SIZE);
        }
    }

    /** Returns how many rows come before this page. */
    public long offset() {
        return (long) (page - 1) * size;
    }
}
