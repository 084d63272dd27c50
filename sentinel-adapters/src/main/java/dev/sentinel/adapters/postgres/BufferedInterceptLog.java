package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.port.InterceptLog;
import java.time.Duration;

/**
 * An {@link InterceptLog} that queues rows in memory and writes them in the background, so
 * that recording never waits for the database. While the database is down, rows stay
 * queued up to a bound and are written when it returns; rows past the bound are dropped and
 * counted.
 *
 * <p>Thread-safe.
 */
public interface BufferedInterceptLog extends InterceptLog, AutoCloseable {

    /** Returns how many rows were dropped since start: past the bound, or refused. */
    long dropped();

    /** Returns how many rows wait to be written, including those being written now. */
    int buffered();

    /**
     * Waits until every row recorded before this call is written.
     *
     * @param timeout how long to wait at most
     * @return whether the buffer was empty before the timeout
     */
    boolean flush(Duration timeout);

    /** Writes what it can within a few seconds, then stops the writer. */
    @Override
    void close();
}
