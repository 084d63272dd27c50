package dev.sentinel.app.settings;

import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.guard.FailsafeMode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings admins may change while Sentinel runs, as they are in force right now. The
 * environment gives the first values; a stored admin change wins afterwards.
 *
 * @param failsafeMode what happens when no store can decide
 * @param alertThreshold intercepts per key per window that raise an alert
 * @param alertWindow the alert window
 * @param alertWebhookUrl where alerts go, empty for nowhere
 * @param alertWebhookFormat generic, slack, dingtalk or feishu
 * @param archiveDays idle days before an automatic binding is archived
 * @param bindPrefixes the network a first use binds to
 * @param bindsPerMinute new bindings per network per minute, 0 for unlimited
 */
public record EffectiveSettings(
        FailsafeMode failsafeMode,
        int alertThreshold,
        Duration alertWindow,
        Optional<URI> alertWebhookUrl,
        String alertWebhookFormat,
        int archiveDays,
        BindPrefixes bindPrefixes,
        int bindsPerMinute) {

    /** Checks that nothing is missing. */
    public EffectiveSettings {
        Objects.requireNonNull(failsafeMode, "failsafeMode");
        Objects.requireNonNull(alertWindow, "alertWindow");
        Objects.requireNonNull(alertWebhookUrl, "alertWebhookUrl");
        Objects.requireNonNull(alertWebhookFormat, "alertWebhookFormat");
        Objects.requireNonNull(bindPrefixes, "bindPrefixes");
    }
}
