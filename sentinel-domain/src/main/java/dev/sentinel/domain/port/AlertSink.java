package dev.sentinel.domain.port;

import dev.sentinel.domain.alert.Alert;

/**
 * Where raised alerts go (a webhook, in Sentinel's own adapters).
 *
 * <p>Implementations must be thread-safe, must not block the caller (deliver on a thread of
 * their own, with their own timeouts and retries) and must never throw.
 */
public interface AlertSink {

    /**
     * Hands an alert over for delivery.
     *
     * @param alert the alert
     */
    void raise(Alert alert);
}
