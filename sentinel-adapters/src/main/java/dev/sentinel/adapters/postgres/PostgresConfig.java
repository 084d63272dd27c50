package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.internal.PercentDecoding;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * How to reach PostgreSQL: where, as whom, in which schema, and how long to wait.
 *
 * <p>Timeouts are short on purpose: a request must not hang on a dead database; the store's
 * circuit then fails later calls at once. The socket timeout must exceed the statement
 * timeout, so that the server cancels a slow statement before the client gives the
 * connection up.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the password.
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} URL without user or password
 * @param user the database user; empty lets the driver choose
 * @param password the password; empty for none
 * @param schema the schema Sentinel's tables live in, created by the migrations if missing
 * @param poolSize the most connections the pool opens, 1 to 200
 * @param connectionTimeout how long a call waits for a pooled connection, at least 250 ms
 * @param statementTimeout the server-side limit of one statement
 * @param socketTimeout the client-side limit of one read, more than the statement timeout
 */
public record PostgresConfig(
        String jdbcUrl,
        String user,
        String password,
        String schema,
        int poolSize,
        Duration connectionTimeout,
        Duration statementTimeout,
        Duration socketTimeout) {

    /** The schema unless told otherwise. */
    public static final String DEFAULT_SCHEMA = "public";

    /**
     * The pool size unless told otherwise. A burst of first uses needs several round trips
     * each (find, insert, re-read); ten connections ran dry on a busy two-core machine.
     */
    public static final int DEFAULT_POOL_SIZE = 20;

    /**
     * How long a call waits for a pooled connection unless told otherwise. A dead server is
     * found by its failed connection attempts (which open the circuit at once), not by this
     * wait, so it can cover a burst that queues for the pool.
     */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    /** The server-side statement limit unless told otherwise. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(3);

    /** The client-side read limit unless told otherwise. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private static final String VARIABLE = "DATABASE_URL";
    private static final String EXPECTED = "expected postgresql://user:password@host:port/"
            + "database or jdbc:postgresql://host:port/database";
    private static final String MASK = "****";
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)([?&]password=)[^&#]*");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require",
            "verify-ca", "verify-full");

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public PostgresConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("JDBC URL '" + mask(jdbcUrl) + "' does not "
                    + "start with jdbc:postgresql:");
        }
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema '" + schema + "' is not a plain "
                    + "identifier: expected lower-case letters, digits and _, at most 63");
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("pool size " + poolSize
                    + " is out of range: expected 1 to 200");
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout " + connectionTimeout
                    + " is too short: expected at least 250 ms");
        }
        if (statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("statement timeout " + statementTimeout
                    + " is not positive");
        }
        if (socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new IllegalArgumentException("socket timeout " + socketTimeout
                    + " is not longer than the statement timeout " + statementTimeout
                    + ": the server must cancel a slow statement before the client gives up");
        }
    }

    /** Returns a builder with the defaults and no URL. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .jdbcUrl(jdbcUrl)
                .user(user)
                .password(password)
                .schema(schema)
                .poolSize(poolSize)
                .connectionTimeout(connectionTimeout)
                .statementTimeout(statementTimeout)
                .socketTimeout(socketTimeout);
    }

    /**
     * Reads {@code DATABASE_URL}, in either of two forms:
     * <ul>
     *   <li>{@code postgresql://user:password@host:port/database?sslmode=require} (also
     *       {@code postgres://}), with user and password percent-encoded, several
     *       {@code host:port} pairs separated by commas, and query parameters passed on to
     *       the driver;</li>
     *   <li>{@code jdbc:postgresql://host:port/database?user=...&password=...}.</li>
     * </ul>
     * {@code currentSchema} names the schema Sentinel's tables live in. Everything else gets
     * the defaults.
     *
     * @param databaseUrl the variable's value
     * @return the configuration
     * @throws IllegalArgumentException naming the variable and its value, password masked
     */
    public static PostgresConfig fromDatabaseUrl(String databaseUrl) {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            throw invalid(String.valueOf(databaseUrl), "it is empty");
        }
        String text = databaseUrl.strip();
        Builder builder = text.startsWith("jdbc:")
                ? parseJdbcUrl(databaseUrl, text)
                : parseLibpqUrl(databaseUrl, text);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw invalid(databaseUrl, e.getMessage());
        }
    }

    /**
     * Returns a database URL with its password replaced by {@code ****}, for messages and
     * logs. Works on malformed URLs too.
     *
     * @param url a {@code postgresql://} or {@code jdbc:postgresql://} URL
     * @return the URL, masked
     */
    public static String mask(String url) {
        if (url == null) {
            return "null";
        }
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + MASK);
        int schemeEnd = masked.indexOf("://");
        if (schemeEnd < 0) {
            return masked;
        }
        int authorityStart = schemeEnd + 3;
        int query = masked.indexOf('?', authorityStart);
        int end = query < 0 ? masked.length() : query;
        int at = masked.lastIndexOf('@', end - 1);
        if (at >= authorityStart) {
            int colon = masked.indexOf(':', authorityStart);
            return colon >= 0 && colon < at
                    ? masked.substring(0, colon + 1) + MASK + masked.substring(at)
                    : masked;
        }

        // No '@': "user:secret" with the host forgotten still must not show the secret.
        int slash = masked.indexOf('/', authorityStart);
        int authorityEnd = slash >= 0 && slash < end ? slash : end;
        String authority = masked.substring(authorityStart, authorityEnd);
        int colon = authority.indexOf(':');
        if (colon >= 0 && !authority.startsWith("[")
                && !authority.substring(colon + 1).split(",", -1)[0].matches("[0-9]+")) {
            return masked.substring(0, authorityStart + colon + 1) + MASK
                    + masked.substring(authorityEnd);
        }
        return masked;
    }

    /** Returns the configuration with the password masked. */
    @Override
    public String toString() {
        return "PostgresConfig[jdbcUrl=" + mask(jdbcUrl) + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : MASK) + ", schema=" + schema + ", poolSize="
                + poolSize + ", connectionTimeout=" + connectionTimeout + ", statementTimeout="
                + statementTimeout + ", socketTimeout=" + socketTimeout + "]";
    }

    private static Builder parseJdbcUrl(String original, String text) {
        if (!text.startsWith("jdbc:postgresql:")) {
            throw invalid(original, "the scheme is not jdbc:postgresql:");
        }
        int queryStart = text.indexOf('?');
        String base = queryStart < 0 ? text : text.substring(0, queryStart);
        String query = queryStart < 0 ? "" : text.substring(queryStart + 1);
        Builder builder = builder();
        String kept = takeCredentials(original, query, builder);
        String url = kept.isEmpty() ? base : base + "?" + kept;
        Properties parsed;
        try {
            parsed = Driver.parseURL(url, new Properties());
        } catch (RuntimeException e) {
            parsed = null;
        }
        if (parsed == null) {
            throw invalid(original, "the PostgreSQL driver cannot read it");
        }
        return builder.jdbcUrl(url);
    }

    private static Builder parseLibpqUrl(String original, String text) {
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw invalid(original, "the scheme is not postgresql://");
        }
        String rest = text.substring(schemeEnd + 3);
        if (rest.indexOf('#') >= 0) {
            throw invalid(original, "it has a fragment (#); percent-encode # in a password");
        }
        int queryStart = rest.indexOf('?');
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);

        // The last '@' ends the user info, so an unencoded '@' in a password still works.
        int at = beforeQuery.lastIndexOf('@');
        String userInfo = at < 0 ? "" : beforeQuery.substring(0, at);
        String hostAndPath = beforeQuery.substring(at + 1);
        int slash = hostAndPath.indexOf('/');
        String hosts = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
        String database = slash < 0 ? "" : decode(original, hostAndPath.substring(slash + 1),
                "the database name");

        Builder builder = builder();
        if (!userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            builder.user(decode(original, user, "the user name"));
            if (colon >= 0) {
                builder.password(decode(original, userInfo.substring(colon + 1),
                        "the password"));
            }
        }
        checkHosts(original, hosts);
        String kept = takeCredentials(original, query, builder);
        String url = "jdbc:postgresql://" + hosts + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20")
                + (kept.isEmpty() ? "" : "?" + kept);
        return builder.jdbcUrl(url);
    }

    private static void checkHosts(String original, String hosts) {
        if (hosts.isEmpty()) {
            throw invalid(original, "it names no host");
        }
        for (String entry : hosts.split(",", -1)) {
            String host = entry;
            String port = null;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw invalid(original, "an IPv6 host has no closing ]");
                }
                host = entry.substring(1, close);
                String after = entry.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw invalid(original, "text follows an IPv6 host's ]");
                    }
                    port = after.substring(1);
                }
                if (!host.matches("[0-9A-Fa-f:.]+")) {
                    throw invalid(original, "an IPv6 host is not an address");
                }
            } else {
                int colon = entry.indexOf(':');
                if (colon >= 0) {
                    host = entry.substring(0, colon);
                    port = entry.substring(colon + 1);
                }
                if (!HOST_NAME.matcher(host).matches()) {
                    throw invalid(original, "a host is empty or has characters a host name "
                            + "cannot have");
                }
            }
            if (port != null && !isPort(port)) {
                throw invalid(original, "a port is not a number from 1 to 65535");
            }
        }
    }

    /** Moves {@code user} and {@code password} parameters into the builder; keeps the rest. */
    private static String takeCredentials(String original, String query, Builder builder) {
        if (query.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            if (name.isEmpty()) {
                throw invalid(original, "a query parameter has no name");
            }
            switch (name) {
                case "user" -> builder.user(decode(original, value, "the user parameter"));
                case "password" -> builder.password(decode(original, value,
                        "the password parameter"));
                // The schema Sentinel's tables live in, as pgjdbc names it.
                case "currentSchema" -> builder.schema(decode(original, value,
                        "the currentSchema parameter"));
                case "sslmode" -> {
                    if (!SSL_MODES.contains(value)) {
                        throw invalid(original, "sslmode '" + value + "' is unknown: expected "
                                + "disable, allow, prefer, require, verify-ca or verify-full");
                    }
                    kept.add(pair);
                }
                default -> kept.add(pair);
            }
        }
        return String.join("&", kept);
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535;
    }

    private static String decode(String original, String text, String what) {
        return PercentDecoding.decode(text).orElseThrow(() ->
                invalid(original, what + " has a malformed percent-escape"));
    }

    private static IllegalArgumentException invalid(String value, String reason) {
        return new IllegalArgumentException(VARIABLE + " '" + mask(value) + "' is not a "
                + "PostgreSQL URL: " + reason + "; " + EXPECTED);
    }

    /**
     * Collects a configuration; every value but the URL has a default.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {

        private String jdbcUrl;
        private String user = "";
        private String password = "";
        private String schema = DEFAULT_SCHEMA;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;

        private Builder() {
        }

        /** Sets the {@code jdbc:postgresql:} URL, without user or password. */
        public Builder jdbcUrl(String value) {
            this.jdbcUrl = value;
            return this;
        }

        /** Sets the database user. */
        public Builder user(String value) {
            this.user = value;
            return this;
        }

        /** Sets the password. */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** Sets the schema; {@value PostgresConfig#DEFAULT_SCHEMA} by default. */
        public Builder schema(String value) {
            this.schema = value;
            return this;
        }

        /** Sets the pool size; {@value PostgresConfig#DEFAULT_POOL_SIZE} by default. */
        public Builder poolSize(int value) {
            this.poolSize = value;
            return this;
        }

        /** Sets how long a call waits for a pooled connection; 1 s by default. */
        public Builder connectionTimeout(Duration value) {
            this.connectionTimeout = value;
            return this;
        }

        /** Sets the server-side statement limit; 3 s by default. */
        public Builder statementTimeout(Duration value) {
            this.statementTimeout = value;
            return this;
        }

        /** Sets the client-side read limit; 5 s by default. */
        public Builder socketTimeout(Duration value) {
            this.socketTimeout = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first bad value
         * @throws NullPointerException when the URL is missing
         */
        public PostgresConfig build() {
            return new PostgresConfig(jdbcUrl, user, password, schema, poolSize,
                    connectionTimeout, statementTimeout, socketTimeout);
        }
    }
}
