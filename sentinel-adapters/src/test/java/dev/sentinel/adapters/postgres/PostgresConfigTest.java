package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresConfigTest {

    @Test
    void aLibpqUrlGivesHostPortDatabaseAndCredentials() {
        PostgresConfig config = PostgresConfig.fromDatabaseUrl(
                "postgresql://sentinel:s3cret@db.internal:5433/gateway?sslmode=require");

        assertThat(config.jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.internal:5433/gateway?sslmode=require");
        assertThat(config.user()).isEqualTo("sentinel");
        assertThat(config.password()).isEqualTo("s3cret");
        assertThat(config.schema()).isEqualTo("public");
        assertThat(config.poolSize()).isEqualTo(PostgresConfig.DEFAULT_POOL_SIZE);
        assertThat(config.connectionTimeout())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void userAndPasswordArePercentDecoded() {
        PostgresConfig config = PostgresConfig.fromDatabaseUrl(
                "postgres://app%40corp:p%3Aw%2Fd%25%40x@localhost/sentinel");

        assertThat(config.user()).isEqualTo("app@corp");
        assertThat(config.password()).isEqualTo("p:w/d%@x");
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/sentinel");
    }

    @Test
    void anUnencodedAtSignInThePasswordStillEndsAtTheLastOne() {
        PostgresConfig config = PostgresConfig.fromDatabaseUrl(
                "postgresql://app:p@ss@10.0.0.5:5432/db");

        assertThat(config.password()).isEqualTo("p@ss");
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:5432/db");
    }

    @Test
    void severalHostsAndIpv6HostsArePassedToTheDriver() {
        PostgresConfig config = PostgresConfig.fromDatabaseUrl(
                "postgresql://u@[2001:db8::5]:5432,replica:5433/db?target_session_attrs=any");

        assertThat(config.jdbcUrl()).isEqualTo(
                "jdbc:postgresql://[2001:db8::5]:5432,replica:5433/db?target_session_attrs=any");
        assertThat(config.password()).isEmpty();
    }

    @Test
    void currentSchemaNamesTheSchemaOfSentinelsTables() {
        PostgresConfig config = PostgresConfig.fromDatabaseUrl(
                "postgresql://app@db:5432/shared?currentSchema=sentinel&sslmode=require");

        assertThat(config.schema()).isEqualTo("sentinel");
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/shared?sslmode=require");
    }

    @Test
    void aJdbcUrlIsKeptWithItsCredentialsMovedOut() {
        PostgresConfig config = PostgresConfig.fromDatabaseUrl(
                "jdbc:postgresql://db:5432/sentinel?user=app&password=top%26secret&ssl=true");

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/sentinel?ssl=true");
        assertThat(config.user()).isEqualTo("app");
        assertThat(config.password()).isEqualTo("top&secret");
    }

    @Test
    void toStringMasksThePassword() {
        PostgresConfig config = PostgresConfig.fromDatabaseUrl(
                "postgresql://app:hunter2@db/sentinel");

        assertThat(config.toString()).doesNotContain("hunter2").contains("password=****");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mysql://app:hunter2@db/sentinel",
        "postgresql://app:hunter2@/sentinel",
        "postgresql://app:hunter2@db:99999/sentinel",
        "postgresql://app:hunter2@db:port/sentinel",
        "postgresql://app:hunter2%zz@db/sentinel",
        "postgresql://app:hunter2@db/sentinel?sslmode=sometimes",
        "postgresql://app:hunter2@db/sentinel#frag",
        "postgresql://app:hunter2@bad host/sentinel",
        "postgresql://app:hunter2",
        "jdbc:mysql://db/sentinel?password=hunter2",
        "jdbc:postgresql://db:99999/sentinel?user=app&password=hunter2",
    })
    void aMalformedUrlNamesTheVariableAndMasksThePassword(String url) {
        assertThatThrownBy(() -> PostgresConfig.fromDatabaseUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DATABASE_URL '")
                .hasMessageContaining("expected postgresql://user:password@host:port/database")
                .message().doesNotContain("hunter2");
    }

    @Test
    void anEmptyUrlIsRefused() {
        assertThatThrownBy(() -> PostgresConfig.fromDatabaseUrl(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL")
                .hasMessageContaining("it is empty");
    }

    @Test
    void maskHidesPasswordsInBothForms() {
        assertThat(PostgresConfig.mask("postgresql://app:hunter2@db/x"))
                .isEqualTo("postgresql://app:****@db/x");
        assertThat(PostgresConfig.mask("jdbc:postgresql://db/x?user=a&password=hunter2&s=1"))
                .isEqualTo("jdbc:postgresql://db/x?user=a&password=****&s=1");
        assertThat(PostgresConfig.mask("postgresql://db:5432/x"))
                .isEqualTo("postgresql://db:5432/x");
    }

    @Test
    void aSchemaMustBeAPlainIdentifier() {
        assertThatThrownBy(() -> PostgresConfig.builder()
                .jdbcUrl("jdbc:postgresql://db/x")
                .schema("public; DROP TABLE binding")
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema 'public; DROP TABLE binding' is not a plain "
                        + "identifier");
    }

    @Test
    void theSocketTimeoutMustOutlastTheStatementTimeout() {
        assertThatThrownBy(() -> PostgresConfig.builder()
                .jdbcUrl("jdbc:postgresql://db/x")
                .statementTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(5))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socket timeout PT5S is not longer than the statement "
                        + "timeout PT5S");
    }
}
