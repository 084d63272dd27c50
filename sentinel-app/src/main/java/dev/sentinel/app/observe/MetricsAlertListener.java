package dev.sentinel.app.observe;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.adapters.webhook.AlertDeliveryListener;
import dev.sentinel.domain.alert.Alert;
import java.util.Objects;

/**
 * Counts alert webhooks by outcome: {@code sentinel_alert_webhooks_total{outcome}} with
 * sent, failed, not_configured and dropped.
 *
 * <p>Thread-safe.
 */
public final class MetricsAlertListener implements AlertDeliveryListener {

    private static final String NAME = "sentinel.alert.webhooks";
    private static final String DESCRIPTION = "Alert webhook deliveries, by outcome";

    private final SentinelMetrics metrics;

    /**
     * Creates the listener.
     *
     * @param metrics where to count
     */
    public MetricsAlertListener(SentinelMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        for (AlertDelivery.Outcome outcome : AlertDelivery.Outcome.values()) {
            metrics.counter(NAME, DESCRIPTION, "outcome", outcome.value());
        }
    }

    @Override
    public void finished(Alert alert, AlertDelivery delivery) {
        metrics.counter(NAME, DESCRIPTION, "outcome", delivery.outcome().value()).increment();
    }
}
