package dev.sentinel.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.config.SentinelConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveSettingsTest {

    @Test
    void withoutRedisACachedBindingDecidesForTheLocalCacheTimeAtMost() {
        // Without Redis no replica hears another's changes, so a per-process entry deciding
        // for CACHE_TTL_SECONDS kept an unbound key's old rules on other replicas for minutes.
        LiveSettings settings = new LiveSettings(SentinelConfig.load(Map.of(
                "CACHE_TTL_SECONDS", "300", "LOCAL_CACHE_MILLIS", "800")));

        assertThat(settings.guardSettings().cacheFreshness()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void withRedisASharedEntryDecidesForTheCacheTtl() {
        String secret = "0123456789abcdef0123456789abcdef";
        LiveSettings settings = new LiveSettings(SentinelConfig.load(Map.of(
                "DATABASE_URL", "postgresql://app@db/sentinel", "REDIS_URL", "redis://cache",
                "SENTINEL_HMAC_SECRET", secret, "ADMIN_JWT_SECRET", secret,
                "ADMIN_PASSWORD", "correct-horse", "CACHE_TTL_SECONDS", "300")));

        assertThat(settings.guardSettings().cacheFreshness()).isEqualTo(Duration.ofSeconds(300));
    }
}
