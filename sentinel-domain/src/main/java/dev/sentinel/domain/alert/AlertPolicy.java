package dev.sentinel.domain.alert;

import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.port.AlertSink;
import dev.sentinel.domain.port.InterceptCounter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides when a key's intercepts are worth an alert: the first count that reaches the
 * threshold within one window raises one alert for that key and window, across every
 * replica that shares the counter.
 *
 * <ol>
 *   <li>Count the intercept in its window (the window length in force now).</li>
 *   <li>Below the threshold, stop.</li>
 *   <li>Claim the window for this key. Several replicas, or several intercepts past the
 *       threshold, may get here; exactly one claim succeeds.</li>
 *   <li>The winner hands the alert to the sink, which delivers it off the caller's
 *       thread.</li>
 * </ol>
 *
 * <p>Thread-safe; it holds no state of its own.
 */
public final class AlertPolicy {

    private final InterceptCounter counter;
    private final AlertSink sink;
    private final Supplier<AlertSettings> settings;

    /**
     * Creates the policy.
     *
     * @param counter where intercepts are counted and windows claimed
     * @param sink where alerts go
     * @param settings the threshold and window in force, read on every intercept
     */
    public AlertPolicy(InterceptCounter counter, AlertSink sink,
            Supplier<AlertSettings> settings) {
        this.counter = Objects.requireNonNull(counter, "counter");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Counts one intercept and raises an alert if it is the one that makes the key
     * alert-worthy in its window.
     *
     * @param intercept the stopped request
     * @return the alert it raised, if any
     */
    public Optional<Alert> observe(Intercept intercept) {
        Objects.requireNonNull(intercept, "intercept");
        AlertSettings current = settings.get();
        AlertWindow window = AlertWindow.containing(intercept.at(), current.window());
        long counted = counter.add(intercept.tokenHash(), intercept.clientIp(), window);

        // Below the threshold there is nothing to tell an admin yet.
        if (counted < current.threshold()) {
            return Optional.empty();
        }

        // Every replica may see the threshold crossed; only the window's first claim alerts.
        if (!counter.claim(intercept.tokenHash(), window)) {
            return Optional.empty();
        }

        Alert alert = new Alert(intercept.tokenHash(), intercept.hint(), window, counted,
                current.threshold(), counter.addresses(intercept.tokenHash(), window),
                intercept.at());
        sink.raise(alert);
        return Optional.of(alert);
    }
}
