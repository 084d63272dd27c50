package dev.sentinel.app.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.webhook.WebhookFormat;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.settings.EffectiveSettings;
import dev.sentinel.app.settings.LiveSettings;
import dev.sentinel.domain.alert.AlertSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveAlertSettingsTest {

    @Test
    void anAdminsChangeToThresholdWindowWebhookAndFormatAppliesToTheNextRead() {
        LiveSettings settings = new LiveSettings(SentinelConfig.load(Map.of()));
        LiveAlertSettings alerts = new LiveAlertSettings(settings);
        assertThat(alerts.alertSettings()).isEqualTo(AlertSettings.DEFAULT);
        assertThat(alerts.webhookTarget()).isEmpty();

        EffectiveSettings now = settings.current();
        settings.replace(new EffectiveSettings(now.failsafeMode(), 2, Duration.ofSeconds(30),
                Optional.of(URI.create("https://hooks.slack.com/services/T/B/x")), "slack",
                now.archiveDays(), now.bindPrefixes(), now.bindsPerMinute()));

        assertThat(alerts.alertSettings()).isEqualTo(new AlertSettings(2,
                Duration.ofSeconds(30)));
        assertThat(alerts.webhookTarget().orElseThrow().format())
                .isEqualTo(WebhookFormat.SLACK);
        assertThat(alerts.webhookTarget().orElseThrow().url().getHost())
                .isEqualTo("hooks.slack.com");
    }
}
