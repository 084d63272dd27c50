package dev.sentinel.app.alert;

import dev.sentinel.adapters.webhook.WebhookFormat;
import dev.sentinel.adapters.webhook.WebhookTarget;
import dev.sentinel.app.settings.EffectiveSettings;
import dev.sentinel.app.settings.LiveSettings;
import dev.sentinel.domain.alert.AlertSettings;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the alert settings in force from {@link LiveSettings} at each use, so that an
 * admin's change to the threshold, window, webhook or format applies to the next intercept.
 *
 * <p>Thread-safe.
 */
public final class LiveAlertSettings {

    private final LiveSettings settings;

    /**
     * Reads from these settings.
     *
     * @param settings the settings in force
     */
    public LiveAlertSettings(LiveSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Returns the threshold and window in force. */
    public AlertSettings alertSettings() {
        EffectiveSettings now = settings.current();
        return new AlertSettings(now.alertThreshold(), now.alertWindow());
    }

    /** Returns the webhook in force, empty when none is set. */
    public Optional<WebhookTarget> webhookTarget() {
        EffectiveSettings now = settings.current();
        return now.alertWebhookUrl().map(url -> new WebhookTarget(url,
                WebhookFormat.parse(now.alertWebhookFormat())));
    }
}
