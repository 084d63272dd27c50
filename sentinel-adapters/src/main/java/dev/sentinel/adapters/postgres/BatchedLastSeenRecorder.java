package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.port.LastSeenRecorder;

/**
 * A {@link LastSeenRecorder} that keeps the latest allowed use of each key in memory and
 * writes them all in one statement per flush interval. A failed write keeps the entries for
 * the next flush.
 *
 * <p>Thread-safe.
 */
public interface BatchedLastSeenRecorder extends LastSeenRecorder, AutoCloseable {

    /** Returns how many keys have a use not yet written. */
    int pending();

    /**
     * Writes the pending uses now, in one statement.
     *
     * @return whether they were written (also when there was nothing to write)
     */
    boolean flush();

    /** Flushes once more and stops the background writer. */
    @Override
    void close();
}
