package dev.sentinel.app.alert;

import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.port.InterceptLog;
import java.util.Objects;

/**
 * The intercept log the guard writes to: each intercept is logged and handed to the alert
 * queue. Neither waits for a store.
 *
 * <p>Thread-safe.
 */
public final class AlertingInterceptLog implements InterceptLog {

    private final InterceptLog log;
    private final AlertQueue alerts;

    /**
     * Combines the log and the alert queue.
     *
     * @param log where intercepts are recorded
     * @param alerts where they are counted toward alerts
     */
    public AlertingInterceptLog(InterceptLog log, AlertQueue alerts) {
        this.log = Objects.requireNonNull(log, "log");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    @Override
    public void record(Intercept intercept) {
        log.record(intercept);
        alerts.offer(intercept);
    }
}
