package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.domain.alert.Alert;
import java.time.Duration;

/**
 * Alerts and what became of their webhooks, written to the {@code alert} table in the
 * background: recording never waits for the database, and while it is down rows wait in a
 * bounded queue. One row per key and window: a second record of the same window is ignored.
 *
 * <p>Thread-safe.
 */
public interface AlertHistory extends AutoCloseable {

    /**
     * Records an alert.
     *
     * @param alert the alert
     * @param delivery what became of its webhook
     */
    void record(Alert alert, AlertDelivery delivery);

    /** Returns how many rows wait to be written. */
    int pending();

    /** Returns how many rows were dropped: past the bound, refused, or left at close. */
    long dropped();

    /**
     * Waits until every row recorded before this call is written.
     *
     * @param timeout how long to wait at most
     * @return whether nothing was left waiting
     */
    boolean flush(Duration timeout);

    /** Writes what it can within a few seconds, then stops the writer. */
    @Override
    void close();
}
