package dev.sentinel.app.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.guard.FailsafeMode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingFieldTest {

    private static final EffectiveSettings BASE = new EffectiveSettings(FailsafeMode.CLOSED, 5,
            Duration.ofSeconds(300), Optional.empty(), "generic", 30, BindPrefixes.DEFAULT, 60);

    @Test
    void eachSettingChangesOnlyItself() {
        EffectiveSettings changed = SettingField.BIND_PREFIX_V6.apply(
                SettingField.ALERT_WEBHOOK_URL.apply(
                        SettingField.FAILSAFE_MODE.apply(BASE, "OPEN"), "https://h.example/x"),
                "48");

        assertThat(changed).isEqualTo(new EffectiveSettings(FailsafeMode.OPEN, 5,
                Duration.ofSeconds(300), Optional.of(URI.create("https://h.example/x")),
                "generic", 30, new BindPrefixes(32, 48), 60));
        assertThat(SettingField.ALERT_WEBHOOK_URL.apply(changed, "").alertWebhookUrl())
                .isEmpty();
    }

    @Test
    void valuesAreStoredInTheirCanonicalSpelling() {
        assertThat(SettingField.FAILSAFE_MODE.canonical(" Open ".strip())).isEqualTo("open");
        assertThat(SettingField.ALERT_WEBHOOK_FORMAT.canonical("Feishu")).isEqualTo("feishu");
        assertThat(SettingField.BIND_RATE_PER_IP.canonical("0")).isEqualTo("0");
        assertThat(SettingField.ALERT_WEBHOOK_URL.canonical("")).isEmpty();
    }

    @Test
    void anInvalidValueIsRefusedNamingTheSettingTheValueAndTheExpectation() {
        assertThatThrownBy(() -> SettingField.ARCHIVE_DAYS.apply(BASE, "0"))
                .hasMessage("archiveDays='0' is not valid: expected a whole number of days "
                        + "from 1 to 36500");
        assertThatThrownBy(() -> SettingField.BIND_PREFIX_V4.apply(BASE, "33"))
                .hasMessageContaining("bindPrefixV4='33'");
        assertThatThrownBy(() -> SettingField.ALERT_THRESHOLD_COUNT.apply(BASE, "9999999999"))
                .hasMessageContaining("alertThresholdCount");
        assertThatThrownBy(() -> SettingField.ALERT_WEBHOOK_URL.apply(BASE, "mailto:a@b"))
                .hasMessageContaining("alertWebhookUrl");
    }

    @Test
    void aBindPrefixSoWideThatBindingMeansNothingIsRefused() {
        // PATCH {"bindPrefixV4":0} was accepted and bound every key to 0.0.0.0/0.
        assertThatThrownBy(() -> SettingField.BIND_PREFIX_V4.apply(BASE, "0"))
                .hasMessage("bindPrefixV4='0' is not valid: expected a prefix length from 8 "
                        + "to 32");
        assertThatThrownBy(() -> SettingField.BIND_PREFIX_V6.apply(BASE, "15"))
                .hasMessage("bindPrefixV6='15' is not valid: expected a prefix length from 16 "
                        + "to 128");
        assertThat(SettingField.BIND_PREFIX_V4.apply(BASE, "8").bindPrefixes().v4())
                .isEqualTo(8);
    }

    @Test
    void aWebhookUrlInAnErrorIsCutShortBecauseItMayHoldAToken() {
        assertThatThrownBy(() -> SettingField.ALERT_WEBHOOK_URL.apply(BASE,
                "ftp://hooks.example/services/T000/B000/secrettokenvalue"))
                .message().doesNotContain("secrettokenvalue");
    }

    @Test
    void settingsAreFoundByApiNameAndVariable() {
        assertThat(SettingField.byApiName("bindRatePerIp")).contains(
                SettingField.BIND_RATE_PER_IP);
        assertThat(SettingField.byVariable("SENTINEL_FAILSAFE_MODE")).contains(
                SettingField.FAILSAFE_MODE);
        assertThat(SettingField.byApiName("cacheTtlSeconds")).isEmpty();
    }
}
