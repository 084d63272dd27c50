package dev.sentinel.adapters.webhook;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.domain.alert.Alert;

/**
 * Hears how each alert's delivery ended, exactly once per alert, so that the application
 * can record, log and count it.
 *
 * <p>Implementations must be thread-safe, fast, and must not throw; they are called from the
 * delivery threads (and, for a dropped alert, from the thread that raised it).
 */
@FunctionalInterface
public interface AlertDeliveryListener {

    /** A listener that ignores everything. */
    AlertDeliveryListener NONE = (alert, delivery) -> { };

    /**
     * An alert's delivery ended.
     *
     * @param alert the alert
     * @param delivery how it ended
     */
    void finished(Alert alert, AlertDelivery delivery);
}
