package dev.sentinel.app.alert;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.adapters.postgres.AlertHistory;
import dev.sentinel.adapters.webhook.AlertDeliveryListener;
import dev.sentinel.app.observe.LogText;
import dev.sentinel.domain.alert.Alert;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Keeps every alert in the alert table with what became of its webhook, and logs one line
 * for it: an operator reading the log should hear of a leaked key even when the webhook
 * failed.
 *
 * <p>Thread-safe.
 */
public final class AlertRecorder implements AlertDeliveryListener {

    private static final System.Logger LOG = System.getLogger("dev.sentinel.alerts");

    private final AlertHistory history;

    /**
     * Creates the recorder.
     *
     * @param history where alerts are kept
     */
    public AlertRecorder(AlertHistory history) {
        this.history = Objects.requireNonNull(history, "history");
    }

    @Override
    public void finished(Alert alert, AlertDelivery delivery) {
        history.record(alert, delivery);
        Level level = delivery.outcome() == AlertDelivery.Outcome.SENT ? Level.INFO
                : Level.WARNING;
        LOG.log(level, "key alert key={0} hash={1} intercepts={2} threshold={3} window={4}s "
                        + "webhook={5} attempts={6} detail={7}", alert.hint(),
                alert.tokenHash().prefix(12), alert.intercepts(), alert.threshold(),
                alert.window().length().toSeconds(), delivery.outcome().value(),
                delivery.attempts(), LogText.escape(delivery.detail()));
    }
}
