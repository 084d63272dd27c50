package dev.sentinel.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.binding.ExemptPaths;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardValuesTest {

    @Test
    void failsafeModesParseInAnyCase() {
        assertThat(FailsafeMode.parse("closed")).isEqualTo(FailsafeMode.CLOSED);
        assertThat(FailsafeMode.parse(" OPEN ")).isEqualTo(FailsafeMode.OPEN);
        assertThat(FailsafeMode.CLOSED.value()).isEqualTo("closed");
        assertThat(FailsafeMode.OPEN.value()).isEqualTo("open");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "half", "true", "opened"})
    void anUnknownFailsafeModeIsRefusedNamingTheValue(String text) {
        assertThatThrownBy(() -> FailsafeMode.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a failsafe mode: expected closed or open");
    }

    @Test
    void theDefaultSettingsAreTheSpecifications() {
        GuardSettings defaults = GuardSettings.DEFAULT;

        assertThat(defaults.bindPrefixes()).isEqualTo(new BindPrefixes(32, 64));
        assertThat(defaults.exemptPaths().prefixes()).containsExactly("/api/");
        assertThat(defaults.bindsPerMinute()).isEqualTo(60);
        assertThat(defaults.failsafeMode()).isEqualTo(FailsafeMode.CLOSED);
        assertThat(defaults.cacheFreshness()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> GuardSettings.DEFAULT.withBindsPerMinute(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> new GuardSettings(BindPrefixes.DEFAULT, ExemptPaths.DEFAULT,
                60, FailsafeMode.CLOSED, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new GuardSettings(null, ExemptPaths.DEFAULT, 60,
                FailsafeMode.CLOSED, Duration.ZERO))
                .isInstanceOf(NullPointerException.class).hasMessage("bindPrefixes");
    }

    @Test
    void onlyAllowBindPassAndFailsafeOpenForward() {
        assertThat(new Verdict.PassUnbound().forwards()).isTrue();
        assertThat(new Verdict.FailsafeOpen().forwards()).isTrue();
        assertThat(new Verdict.Refuse(RefusalCode.FAILSAFE_CLOSED, Optional.empty()).forwards())
                .isFalse();
        assertThatThrownBy(() -> new Verdict.Refuse(RefusalCode.BIND_RATE_LIMITED, null))
                .isInstanceOf(NullPointerException.class).hasMessage("retryAfter");
    }

    @Test
    void refusalCodesCarryTheSpecifiedStatusAndCode() {
        assertThat(RefusalCode.values()).extracting(c -> c.httpStatus() + " " + c.code())
                .containsExactly("400 invalid_client_ip", "400 invalid_api_key",
                        "400 ambiguous_credentials", "400 forbidden_connection_header",
                        "400 invalid_request", "403 access_denied", "429 bind_rate_limited",
                        "502 downstream_unreachable", "503 failsafe_closed",
                        "504 downstream_timeout");
    }
}
