package dev.sentinel.adapters;

import dev.sentinel.adapters.postgres.PostgresConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL that integration tests run against: {@code SENTINEL_IT_DATABASE_URL}, by
 * default the local server's {@code test} database. Each test class works in a schema of
 * its own and drops it afterwards.
 */
public final class TestDatabase {

    private static final String URL = System.getenv().getOrDefault("SENTINEL_IT_DATABASE_URL",
            "postgresql://postgres@127.0.0.1:5432/test");

    private TestDatabase() {
    }

    /** Returns a fresh schema name for a test class. */
    public static String uniqueSchema(Class<?> testClass) {
        return ("it_" + testClass.getSimpleName() + "_"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16))
                .toLowerCase(Locale.ROOT);
    }

    /** Returns the configuration for one schema, with a small pool. */
    public static PostgresConfig config(String schema) {
        return PostgresConfig.fromDatabaseUrl(URL).toBuilder()
                .schema(schema)
                .poolSize(4)
                .build();
    }

    /** Runs SQL outside Sentinel's pool, in the given schema. */
    public static void execute(PostgresConfig config, String sql) {
        try (Connection connection = connect(config);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + sql, e);
        }
    }

    /** Opens a plain connection with the schema on the search path. */
    public static Connection connect(PostgresConfig config) throws SQLException {
        Properties properties = new Properties();
        if (!config.user().isEmpty()) {
            properties.setProperty("user", config.user());
        }
        if (!config.password().isEmpty()) {
            properties.setProperty("password", config.password());
        }
        properties.setProperty("currentSchema", config.schema());
        return DriverManager.getConnection(config.jdbcUrl(), properties);
    }

    /** Drops a schema a test class created. */
    public static void dropSchema(PostgresConfig config) {
        execute(config, "DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
    }
}
