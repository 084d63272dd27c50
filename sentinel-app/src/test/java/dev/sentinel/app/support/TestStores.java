package dev.sentinel.app.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Where the machine's PostgreSQL and Redis are, and a private schema or key prefix per test
 * class, so test classes never see each other's rows or keys.
 */
public final class TestStores {

    /** A JDBC URL without credentials or schema, for direct checks. */
    public static final String JDBC_URL = System.getenv().getOrDefault(
            "SENTINEL_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    /** The user the tests connect as (trust authentication on loopback). */
    public static final String USER = System.getenv().getOrDefault("SENTINEL_TEST_DB_USER",
            "postgres");
    /** Redis. */
    public static final String REDIS_URL = System.getenv().getOrDefault(
            "SENTINEL_TEST_REDIS_URL", "redis://127.0.0.1:6379");

    private TestStores() {
    }

    /** Returns a new schema name (not yet created: Sentinel's migrations create it). */
    public static String newSchema(String owner) {
        return ("it_" + owner + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** Returns {@code DATABASE_URL} for Sentinel, pointing at a schema of its own. */
    public static String databaseUrl(String schema) {
        return JDBC_URL + (JDBC_URL.contains("?") ? "&" : "?") + "user=" + USER
                + "&currentSchema=" + schema;
    }

    /** Opens a connection for direct checks. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(JDBC_URL, USER, "");
    }

    /** Drops a schema this test class created. */
    public static void dropSchema(String schema) {
        try (Connection connection = connect(); Statement statement =
                connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + schema, e);
        }
    }
}
