package dev.sentinel.adapters.redis;

import dev.sentinel.adapters.internal.PercentDecoding;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Redis: where, as whom, how long to wait, and under which key prefix
 * Sentinel's keys live (so that several deployments, or tests, can share one Redis).
 *
 * <p>Timeouts are a few hundred milliseconds: Redis is a cache, and a slow cache must turn
 * into a miss quickly rather than hold a request up.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the password.
 *
 * @param host the host name or address (an IPv6 address without brackets)
 * @param port the port
 * @param ssl whether to speak TLS ({@code rediss://}); the server's name is verified
 * @param user the ACL user; empty for the default user
 * @param password the password; empty for none
 * @param database the database number
 * @param connectTimeout how long opening a connection may take
 * @param socketTimeout how long one reply may take
 * @param poolSize the most connections the pool opens, 1 to 256
 * @param poolMaxWait how long a call waits for a pooled connection
 * @param keyPrefix the prefix of every key and channel, such as {@code sentinel:}
 */
public record RedisConfig(
        String host,
        int port,
        boolean ssl,
        String user,
        String password,
        int database,
        Duration connectTimeout,
        Duration socketTimeout,
        int poolSize,
        Duration poolMaxWait,
        String keyPrefix) {

    /** The port unless the URL names one. */
    public static final int DEFAULT_PORT = 6379;

    /** The key prefix unless told otherwise. */
    public static final String DEFAULT_KEY_PREFIX = "sentinel:";

    /** How long opening a connection may take unless told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(300);

    /** How long one reply may take unless told otherwise. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofMillis(300);

    /** The pool size unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 16;

    /** How long a call waits for a pooled connection unless told otherwise. */
    public static final Duration DEFAULT_POOL_MAX_WAIT = Duration.ofMillis(100);

    private static final String VARIABLE = "REDIS_URL";
    private static final String EXPECTED = "expected redis://[[user]:password@]host[:port]"
            + "[/database] or rediss://...";
    private static final String MASK = "****";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public RedisConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(poolMaxWait, "poolMaxWait");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (!HOST_NAME.matcher(host).matches() && !(host.indexOf(':') >= 0
                && IPV6_LITERAL.matcher(host).matches())) {
            throw new IllegalArgumentException("Redis host '" + host + "' is not a host name "
                    + "or address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Redis port " + port
                    + " is out of range: expected 1 to 65535");
        }
        if (database < 0) {
            throw new IllegalArgumentException("Redis database " + database
                    + " is negative: expected 0 or more");
        }
        requirePositiveMillis(connectTimeout, "connect timeout");
        requirePositiveMillis(socketTimeout, "socket timeout");
        requirePositiveMillis(poolMaxWait, "pool max wait");
        if (poolSize < 1 || poolSize > 256) {
            throw new IllegalArgumentException("Redis pool size " + poolSize
                    + " is out of range: expected 1 to 256");
        }
        if (keyPrefix.isEmpty() || keyPrefix.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("Redis key prefix '" + keyPrefix + "' is empty "
                    + "or has spaces or control characters: expected something like "
                    + DEFAULT_KEY_PREFIX);
        }
    }

    /** Returns a builder with the defaults, for Redis on {@code 127.0.0.1:6379}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .host(host)
                .port(port)
                .ssl(ssl)
                .user(user)
                .password(password)
                .database(database)
                .connectTimeout(connectTimeout)
                .socketTimeout(socketTimeout)
                .poolSize(poolSize)
                .poolMaxWait(poolMaxWait)
                .keyPrefix(keyPrefix);
    }

    /**
     * Reads {@code REDIS_URL}: {@code redis://} or {@code rediss://} (TLS), then optional
     * user info, host, optional port and optional {@code /database}. As in
     * {@code redis-cli}, {@code user:password@} gives both, {@code :password@} and
     * {@code password@} only a password; both are percent-decoded. Everything else gets the
     * defaults.
     *
     * @param redisUrl the variable's value
     * @return the configuration
     * @throws IllegalArgumentException naming the variable and its value, password masked
     */
    public static RedisConfig fromRedisUrl(String redisUrl) {
        if (redisUrl == null || redisUrl.isBlank()) {
            throw invalid(String.valueOf(redisUrl), "it is empty");
        }
        String text = redisUrl.strip();
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw invalid(redisUrl, "the scheme is not redis:// or rediss://");
        }
        String rest = text.substring(schemeEnd + 3);
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw invalid(redisUrl, "it has a query or fragment, which Sentinel does not read; "
                    + "percent-encode ? and # in a password");
        }

        // The last '@' ends the user info, so an unencoded '@' in a password still works.
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hostAndPath = rest.substring(at + 1);
        int slash = hostAndPath.indexOf('/');
        String hostAndPort = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
        String path = slash < 0 ? "" : hostAndPath.substring(slash + 1);

        Builder builder = builder().ssl(scheme.equals("rediss"));
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                builder.password(decode(redisUrl, userInfo, "the password"));
            } else {
                builder.user(decode(redisUrl, userInfo.substring(0, colon), "the user name"));
                builder.password(decode(redisUrl, userInfo.substring(colon + 1),
                        "the password"));
            }
        }
        readHostAndPort(redisUrl, hostAndPort, builder);
        if (!path.isEmpty()) {
            if (!path.matches("[0-9]{1,5}")) {
                throw invalid(redisUrl, "the database is not a number from 0 to 99999");
            }
            builder.database(Integer.parseInt(path));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw invalid(redisUrl, e.getMessage());
        }
    }

    /**
     * Returns a Redis URL with its password replaced by {@code ****}, for messages and logs.
     * Works on malformed URLs too.
     *
     * @param url a {@code redis://} or {@code rediss://} URL
     * @return the URL, masked
     */
    public static String mask(String url) {
        if (url == null) {
            return "null";
        }
        int schemeEnd = url.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int at = url.lastIndexOf('@');
        if (at >= start) {
            int colon = url.indexOf(':', start);
            int secretStart = colon >= 0 && colon < at ? colon + 1 : start;
            return url.substring(0, secretStart) + MASK + url.substring(at);
        }

        // No '@': "redis://:secret" with the host forgotten still must not show the secret.
        int slash = url.indexOf('/', start);
        int authorityEnd = slash < 0 ? url.length() : slash;
        String authority = url.substring(start, authorityEnd);
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.startsWith("[")
                && !authority.substring(colon + 1).matches("[0-9]+")) {
            return url.substring(0, start + colon + 1) + MASK + url.substring(authorityEnd);
        }
        return url;
    }

    /** Returns the configuration with the password masked. */
    @Override
    public String toString() {
        return "RedisConfig[host=" + host + ", port=" + port + ", ssl=" + ssl + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : MASK) + ", database=" + database
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
                + ", poolSize=" + poolSize + ", poolMaxWait=" + poolMaxWait + ", keyPrefix="
                + keyPrefix + "]";
    }

    private static void readHostAndPort(String original, String hostAndPort, Builder builder) {
        String host = hostAndPort;
        String port = null;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            if (close < 0) {
                throw invalid(original, "an IPv6 host has no closing ]");
            }
            host = hostAndPort.substring(1, close);
            String after = hostAndPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(original, "text follows an IPv6 host's ]");
                }
                port = after.substring(1);
            }
            if (!IPV6_LITERAL.matcher(host).matches()) {
                throw invalid(original, "an IPv6 host is not an address");
            }
        } else {
            int colon = hostAndPort.indexOf(':');
            if (colon >= 0) {
                host = hostAndPort.substring(0, colon);
                port = hostAndPort.substring(colon + 1);
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw invalid(original, "the host is empty or has characters a host name "
                        + "cannot have");
            }
        }
        builder.host(host);
        if (port != null) {
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
                    || Integer.parseInt(port) > 65535) {
                throw invalid(original, "the port is not a number from 1 to 65535");
            }
            builder.port(Integer.parseInt(port));
        }
    }

    private static String decode(String original, String text, String what) {
        return PercentDecoding.decode(text).orElseThrow(() ->
                invalid(original, what + " has a malformed percent-escape"));
    }

    private static void requirePositiveMillis(Duration value, String name) {
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException("Redis " + name + " " + value
                    + " is not positive: expected at least 1 ms");
        }
    }

    private static IllegalArgumentException invalid(String value, String reason) {
        return new IllegalArgumentException(VARIABLE + " '" + mask(value) + "' is not a Redis "
                + "URL: " + reason + "; " + EXPECTED);
    }

    /**
     * Collects a configuration; every value has a default.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private boolean ssl;
        private String user = "";
        private String password = "";
        private int database;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration poolMaxWait = DEFAULT_POOL_MAX_WAIT;
        private String keyPrefix = DEFAULT_KEY_PREFIX;

        private Builder() {
        }

        /** Sets the host; {@code 127.0.0.1} by default. */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** Sets the port; {@value RedisConfig#DEFAULT_PORT} by default. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Sets whether to speak TLS; off by default. */
        public Builder ssl(boolean value) {
            this.ssl = value;
            return this;
        }

        /** Sets the ACL user; the default user by default. */
        public Builder user(String value) {
            this.user = value;
            return this;
        }

        /** Sets the password; none by default. */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** Sets the database number; 0 by default. */
        public Builder database(int value) {
            this.database = value;
            return this;
        }

        /** Sets how long opening a connection may take; 300 ms by default. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** Sets how long one reply may take; 300 ms by default. */
        public Builder socketTimeout(Duration value) {
            this.socketTimeout = value;
            return this;
        }

        /** Sets the pool size; {@value RedisConfig#DEFAULT_POOL_SIZE} by default. */
        public Builder poolSize(int value) {
            this.poolSize = value;
            return this;
        }

        /** Sets how long a call waits for a pooled connection; 100 ms by default. */
        public Builder poolMaxWait(Duration value) {
            this.poolMaxWait = value;
            return this;
        }

        /** Sets the key prefix; {@value RedisConfig#DEFAULT_KEY_PREFIX} by default. */
        public Builder keyPrefix(String value) {
            this.keyPrefix = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first bad value
         */
        public RedisConfig build() {
            return new RedisConfig(host, port, ssl, user, password, database, connectTimeout,
                    socketTimeout, poolSize, poolMaxWait, keyPrefix);
        }
    }
}
