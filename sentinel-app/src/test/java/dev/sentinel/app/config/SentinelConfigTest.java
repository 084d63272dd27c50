package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.guard.FailsafeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentinelConfigTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void nothingSetIsTheEmbeddedDefaultWithTheSpecifiedDefaults() {
        SentinelConfig config = SentinelConfig.load(Map.of());

        assertThat(config.embeddedDefault()).isTrue();
        assertThat(config.downstreamUrl().toString()).isEqualTo("http://127.0.0.1:3000");
        assertThat(config.port()).isEqualTo(8016);
        assertThat(config.managementPort()).isEqualTo(9016);
        assertThat(config.bindPrefixes().v4()).isEqualTo(32);
        assertThat(config.bindPrefixes().v6()).isEqualTo(64);
        assertThat(config.exemptPaths().prefixes()).containsExactly("/api/");
        assertThat(config.bindRatePerIp()).isEqualTo(60);
        assertThat(config.failsafeMode()).isEqualTo(FailsafeMode.CLOSED);
        assertThat(config.localCacheTtl().toMillis()).isEqualTo(1000);
        assertThat(config.downstreamIdleTimeout().toSeconds()).isEqualTo(300);
        assertThat(config.maxRequestBodyBytes()).isEqualTo(100L * 1024 * 1024);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SENTINEL_PORT|abc|SENTINEL_PORT='abc' is not valid: expected a port number",
        "BIND_PREFIX_V4|33|BIND_PREFIX_V4='33' is not valid: expected a prefix length from 8",
        "BIND_PREFIX_V6|-1|BIND_PREFIX_V6='-1' is not valid",
        "TRUSTED_PROXY_IPS|10.0.0.1/24|TRUSTED_PROXY_IPS='10.0.0.1/24' is not valid",
        "TRUSTED_PROXY_IPS|nginx|TRUSTED_PROXY_IPS='nginx' is not valid",
        "SENTINEL_FAILSAFE_MODE|maybe|SENTINEL_FAILSAFE_MODE='maybe' is not valid: expected "
                + "closed or open",
        "LOCAL_CACHE_MILLIS|5000|LOCAL_CACHE_MILLIS='5000' is not valid",
        "DOWNSTREAM_URL|ftp://x|DOWNSTREAM_URL='ftp://x' is not valid: expected an http",
        "ALERT_WEBHOOK_FORMAT|teams|ALERT_WEBHOOK_FORMAT='teams' is not valid",
        "BIND_EXEMPT_PATHS|api/|BIND_EXEMPT_PATHS='api/' is not valid",
        "SENTINEL_HOST|999.1.1.1|SENTINEL_HOST='999.1.1.1' is not valid: expected an IP address",
        "SENTINEL_MANAGEMENT_PORT|8016|SENTINEL_MANAGEMENT_PORT='8016' is not valid: expected "
                + "a port other than SENTINEL_PORT",
    })
    void aBadValueNamesTheVariableTheValueAndWhatWasExpected(String name, String value,
            String message) {
        assertThatThrownBy(() -> SentinelConfig.load(Map.of(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void anExternalDatabaseRequiresEverySecretAndNamesTheMissingOne() {
        Map<String, String> environment = new HashMap<>(Map.of(
                "DATABASE_URL", "postgresql://app@db/sentinel",
                "SENTINEL_HMAC_SECRET", SECRET,
                "ADMIN_JWT_SECRET", SECRET));

        assertThatThrownBy(() -> SentinelConfig.load(environment))
                .hasMessageStartingWith("ADMIN_PASSWORD is not set");
    }

    @Test
    void aMalformedStoreUrlIsAConfigurationErrorWithThePasswordMasked() {
        // A bad DATABASE_URL got past validation and failed later with a stack trace.
        Map<String, String> environment = new HashMap<>(Map.of(
                "DATABASE_URL", "postgresql://app:hunter2@db:notaport/sentinel",
                "SENTINEL_HMAC_SECRET", SECRET, "ADMIN_JWT_SECRET", SECRET,
                "ADMIN_PASSWORD", "correct-horse"));

        assertThatThrownBy(() -> SentinelConfig.load(environment))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL 'postgresql://app:****@db:notaport/")
                .hasMessageNotContaining("hunter2");

        environment.put("DATABASE_URL", "postgresql://app@db/sentinel");
        environment.put("REDIS_URL", "redis://:redispass@cache:port");
        assertThatThrownBy(() -> SentinelConfig.load(environment))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("REDIS_URL")
                .hasMessageNotContaining("redispass");
    }

    @Test
    void aShortSecretIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> SentinelConfig.load(Map.of("SENTINEL_HMAC_SECRET",
                "tooshort-secret")))
                .hasMessage("SENTINEL_HMAC_SECRET='****' has 15 characters: expected at "
                        + "least 32");
    }

    @Test
    void theMaskedDescriptionHidesSecretsAndUrlPasswords() {
        SentinelConfig config = SentinelConfig.load(Map.of(
                "DATABASE_URL", "postgresql://app:hunter2@db/sentinel",
                "REDIS_URL", "redis://:redispass@cache:6379/0",
                "SENTINEL_HMAC_SECRET", SECRET,
                "ADMIN_JWT_SECRET", SECRET,
                "ADMIN_PASSWORD", "correct-horse"));

        String described = config.describeMasked();

        assertThat(described).doesNotContain("hunter2", "redispass", SECRET, "correct-horse")
                .contains("DATABASE_URL=postgresql://app:****@db/sentinel")
                .contains("ADMIN_PASSWORD=****");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TRUSTED_PROXY_IPS|'10.0.0.0/8,,'", "TRUSTED_PROXY_IPS|',10.0.0.0/8'",
        "BIND_EXEMPT_PATHS|'/api/, ,/v0/'"
    })
    void aListWithAnEmptyEntryIsRefusedNamingTheVariable(String name, String value) {
        // "10.0.0.0/8,," was accepted: a stray comma often marks a value lost in templating.
        assertThatThrownBy(() -> SentinelConfig.load(Map.of(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(name + "='" + value + "' is not valid: an entry is "
                        + "empty");
    }

    @ParameterizedTest
    @CsvSource({"http://h:3000/prefix?x=1", "http://h:3000/prefix?", "http://h:3000/p#top"})
    void aDownstreamUrlWithAQueryOrFragmentIsRefused(String url) {
        // The query was dropped without a word: each request's own query replaces it.
        assertThatThrownBy(() -> SentinelConfig.load(Map.of("DOWNSTREAM_URL", url)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("DOWNSTREAM_URL='" + url + "' is not valid: expected no query or "
                        + "fragment, only New API's address and an optional path prefix");
    }

    @ParameterizedTest
    @CsvSource({"BIND_PREFIX_V4,0", "BIND_PREFIX_V4,7", "BIND_PREFIX_V6,0", "BIND_PREFIX_V6,15"})
    void aBindPrefixSoWideThatBindingMeansNothingIsRefused(String name, String value) {
        // At /0 every key was bound to everywhere: the product silently off.
        assertThatThrownBy(() -> SentinelConfig.load(Map.of(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(name + "='" + value + "' is not valid: expected a "
                        + "prefix length from " + (name.endsWith("V4") ? "8 to 32" : "16 to 128"));
    }

    @Test
    void theWidestAllowedBindPrefixesAreAccepted() {
        SentinelConfig config = SentinelConfig.load(Map.of("BIND_PREFIX_V4", "8",
                "BIND_PREFIX_V6", "16", "TRUSTED_PROXY_IPS", "10.0.0.0/8, 172.16.0.0/12"));

        assertThat(config.bindPrefixes()).isEqualTo(new BindPrefixes(8, 16));
        assertThat(config.trustedProxies()).hasSize(2);
    }

    @Test
    void theStartLogShowsEveryEffectiveSettingNotOnlyTheSetOnes() {
        // Only the set variables were logged, so a default in force could not be read off.
        String described = SentinelConfig.load(Map.of("BIND_PREFIX_V6", "56",
                "ADMIN_PASSWORD", "correct-horse")).describeMasked();

        for (String name : SentinelConfig.NAMES) {
            assertThat(described).contains(name + "=");
        }
        assertThat(described).doesNotContain("correct-horse")
                .contains("BIND_PREFIX_V6=56", "BIND_PREFIX_V4=32", "SENTINEL_PORT=8016",
                        "SENTINEL_FAILSAFE_MODE=closed", "BIND_EXEMPT_PATHS=/api/",
                        "MAX_REQUEST_BODY_MB=100", "DATABASE_URL=(embedded)",
                        "ADMIN_PASSWORD=****", "SENTINEL_HMAC_SECRET=(generated)");
        assertThat(described.split(" ")).hasSize(SentinelConfig.NAMES.size());
    }

    @Test
    void theMaskedDescriptionShowsOnlyTheWebhooksOriginBecauseItsPathIsTheSecret() {
        SentinelConfig config = SentinelConfig.load(Map.of(
                "ALERT_WEBHOOK_URL", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n",
                "ALERT_WEBHOOK_FORMAT", "dingtalk"));

        assertThat(config.describeMasked()).doesNotContain("t0k3n", "robot")
                .contains("ALERT_WEBHOOK_URL=https://oapi.dingtalk.com/…");
    }

    @Test
    void aYamlFileGivesValuesAndTheEnvironmentWins(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("sentinel.yaml");
        Files.writeString(file, """
                DOWNSTREAM_URL: http://new-api:3000
                BIND_PREFIX_V4: 24
                TRUSTED_PROXY_IPS:
                  - 172.28.0.0/16
                  - 10.0.0.0/8
                """);

        SentinelConfig config = SentinelConfig.load(Map.of("SENTINEL_CONFIG", file.toString(),
                "BIND_PREFIX_V4", "28"));

        assertThat(config.downstreamUrl().toString()).isEqualTo("http://new-api:3000");
        assertThat(config.bindPrefixes().v4()).isEqualTo(28);
        assertThat(config.trustedProxies()).hasSize(2);
    }

    @Test
    void aYamlListForASingleValueSettingIsRefused(@TempDir Path folder) throws IOException {
        // BIND_PREFIX_V4: [24] was silently read as 24.
        Path file = folder.resolve("sentinel.yaml");
        Files.writeString(file, "BIND_PREFIX_V4: [24]\n");

        assertThatThrownBy(() -> SentinelConfig.load(Map.of("SENTINEL_CONFIG",
                file.toString())))
                .hasMessageContaining("sets BIND_PREFIX_V4 to a list");
    }

    @Test
    void aYamlFileWithAnUnknownSettingIsRefused(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("sentinel.yaml");
        Files.writeString(file, "BIND_PREFX_V4: 24\n");

        assertThatThrownBy(() -> SentinelConfig.load(Map.of("SENTINEL_CONFIG",
                file.toString())))
                .hasMessageContaining("unknown setting 'BIND_PREFX_V4'");
    }
}
