package dev.sentinel.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisConfigTest {

    @Test
    void aPlainUrlGivesHostAndDefaults() {
        RedisConfig config = RedisConfig.fromRedisUrl("redis://cache.internal");

        assertThat(config.host()).isEqualTo("cache.internal");
        assertThat(config.port()).isEqualTo(6379);
        assertThat(config.ssl()).isFalse();
        assertThat(config.user()).isEmpty();
        assertThat(config.password()).isEmpty();
        assertThat(config.database()).isZero();
        assertThat(config.keyPrefix()).isEqualTo("sentinel:");
        assertThat(config.socketTimeout().toMillis()).isLessThan(1000);
    }

    @Test
    void userPasswordPortAndDatabaseAreRead() {
        RedisConfig config = RedisConfig.fromRedisUrl("rediss://app:p%40ss%3Aword@10.1.2.3:6380/4");

        assertThat(config.ssl()).isTrue();
        assertThat(config.user()).isEqualTo("app");
        assertThat(config.password()).isEqualTo("p@ss:word");
        assertThat(config.host()).isEqualTo("10.1.2.3");
        assertThat(config.port()).isEqualTo(6380);
        assertThat(config.database()).isEqualTo(4);
    }

    @Test
    void userInfoWithoutAColonIsAPasswordAsInRedisCli() {
        assertThat(RedisConfig.fromRedisUrl("redis://hunter2@cache").password())
                .isEqualTo("hunter2");
        RedisConfig colonFirst = RedisConfig.fromRedisUrl("redis://:hunter2@cache/");

        assertThat(colonFirst.user()).isEmpty();
        assertThat(colonFirst.password()).isEqualTo("hunter2");
    }

    @Test
    void anIpv6HostIsWrittenInBrackets() {
        RedisConfig config = RedisConfig.fromRedisUrl("redis://[::1]:6390");

        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.port()).isEqualTo(6390);
    }

    @Test
    void toStringMasksThePassword() {
        assertThat(RedisConfig.fromRedisUrl("redis://:hunter2@cache").toString())
                .doesNotContain("hunter2")
                .contains("password=****");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://:hunter2@cache",
        "redis://:hunter2@",
        "redis://:hunter2@cache:0",
        "redis://:hunter2@cache:70000",
        "redis://:hunter2@cache/db",
        "redis://:hunter2@cache?timeout=5",
        "redis://app:hunter2%g1@cache",
        "redis://:hunter2@[::1",
        "redis://:hunter2",
        "redis://user:hunter2",
    })
    void aMalformedUrlNamesTheVariableAndMasksThePassword(String url) {
        assertThatThrownBy(() -> RedisConfig.fromRedisUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("REDIS_URL '")
                .hasMessageContaining("expected redis://")
                .message().doesNotContain("hunter2");
    }

    @Test
    void maskHidesEveryPasswordForm() {
        assertThat(RedisConfig.mask("redis://app:hunter2@cache:6379/1"))
                .isEqualTo("redis://app:****@cache:6379/1");
        assertThat(RedisConfig.mask("redis://hunter2@cache"))
                .isEqualTo("redis://****@cache");
        assertThat(RedisConfig.mask("redis://cache:6379")).isEqualTo("redis://cache:6379");
    }

    @Test
    void aKeyPrefixWithSpacesIsRefused() {
        assertThatThrownBy(() -> RedisConfig.builder().keyPrefix("my prefix").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key prefix 'my prefix'");
    }
}
