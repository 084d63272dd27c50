package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.port.InterceptLog;
import java.time.Duration;

/**
 * An {@link InterceptLog} that queues rows in memory and writes them in the background, so
 * that recording never waits for the database. A key's intercepts past its per-minute row
 * allowance are counted into one summary row per key and minute instead. While the database
 * is down, rows and summaries stay in memory up to a bound and are written when it returns;
 * intercepts past the bound are dropped and counted. Rows plus summarised intercepts plus
 * dropped ones always equal the intercepts recorded.
 *
 * <p>Thread-safe.
 */
public interface BufferedInterceptLog extends InterceptLog, AutoCloseable {

    /** Returns how many intercepts were dropped since start: past the bound, or refused. */
    long dropped();

    /** Returns how many intercepts were counted into summaries rather than rows. */
    long summarized();

    /**
     * Returns how many rows wait to be written, including those being written now: single
     * intercepts plus pending summaries.
     */
    int buffered();

    /**
     * Waits until every row and summary recorded before this call is written.
     *
     * @param timeout how long to wait at most
     * @return whether the buffer was empty before the timeout
     */
    boolean flush(Duration timeout);

    /** Writes what it can within a few seconds, then stops the writer. */
    @Override
    void close();
}
