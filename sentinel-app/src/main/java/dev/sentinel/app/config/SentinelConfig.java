package dev.sentinel.app.config;

import dev.sentinel.adapters.postgres.PostgresConfig;
import dev.sentinel.adapters.redis.RedisConfig;
import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.binding.ExemptPaths;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.guard.FailsafeMode;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Sentinel's start-up configuration, read once from the environment (and an optional YAML
 * file), validated, and frozen. Live settings that admins change later start from these
 * values.
 *
 * <p>Immutable and thread-safe.
 */
public final class SentinelConfig {

    /** The variables Sentinel reads, in the order the README lists them. */
    public static final Set<String> NAMES = Set.copyOf(List.of(
            "DOWNSTREAM_URL", "SENTINEL_PORT", "SENTINEL_MANAGEMENT_PORT", "SENTINEL_HOST",
            "DATABASE_URL", "REDIS_URL", "REDIS_KEY_PREFIX", "DATA_DIR", "SENTINEL_CONFIG",
            "SENTINEL_HMAC_SECRET",
            "TRUSTED_PROXY_IPS", "BIND_PREFIX_V4", "BIND_PREFIX_V6", "BIND_EXEMPT_PATHS",
            "BIND_RATE_PER_IP", "CACHE_TTL_SECONDS", "LOCAL_CACHE_MILLIS",
            "SENTINEL_FAILSAFE_MODE", "INTERCEPT_BUFFER_SIZE", "INTERCEPT_LOG_PER_KEY",
            "ALERT_THRESHOLD_COUNT", "ALERT_WINDOW_SECONDS", "ALERT_WEBHOOK_URL",
            "ALERT_WEBHOOK_FORMAT", "ARCHIVE_DAYS", "ADMIN_PASSWORD", "ADMIN_JWT_SECRET",
            "ADMIN_TOKEN_TTL_MINUTES", "LOGIN_MAX_ATTEMPTS", "LOGIN_WINDOW_SECONDS",
            "LOGIN_LOCKOUT_SECONDS", "DOWNSTREAM_CONNECT_TIMEOUT_MS",
            "DOWNSTREAM_IDLE_TIMEOUT_SECONDS", "MAX_REQUEST_BODY_MB",
            "CLIENT_HEADER_TIMEOUT_SECONDS"));

    private static final Set<String> SECRETS = Set.of("SENTINEL_HMAC_SECRET", "ADMIN_PASSWORD",
            "ADMIN_JWT_SECRET");
    private static final Set<String> WEBHOOK_FORMATS = Set.of("generic", "slack", "dingtalk",
            "feishu");

    private final Settings settings;

    private final URI downstreamUrl;
    private final String host;
    private final int port;
    private final int managementPort;
    private final Optional<String> databaseUrl;
    private final Optional<String> redisUrl;
    private final String redisKeyPrefix;
    private final Path dataDir;
    private final Optional<String> hmacSecret;
    private final List<Cidr> trustedProxies;
    private final BindPrefixes bindPrefixes;
    private final ExemptPaths exemptPaths;
    private final int bindRatePerIp;
    private final Duration cacheTtl;
    private final Duration localCacheTtl;
    private final FailsafeMode failsafeMode;
    private final int interceptBufferSize;
    private final int interceptLogPerKey;
    private final int alertThresholdCount;
    private final Duration alertWindow;
    private final Optional<URI> alertWebhookUrl;
    private final String alertWebhookFormat;
    private final int archiveDays;
    private final Optional<String> adminPassword;
    private final Optional<String> adminJwtSecret;
    private final Duration adminTokenTtl;
    private final int loginMaxAttempts;
    private final Duration loginWindow;
    private final Duration loginLockout;
    private final Duration downstreamConnectTimeout;
    private final Duration clientHeaderTimeout;
    private final Duration downstreamIdleTimeout;
    private final long maxRequestBodyBytes;

    private SentinelConfig(Settings settings) {
        this.settings = settings;
        downstreamUrl = httpUrl("DOWNSTREAM_URL", "http://127.0.0.1:3000");
        // Each request's own query replaces it, so a query here would silently vanish.
        if (downstreamUrl.getRawQuery() != null || downstreamUrl.getRawFragment() != null) {
            throw new ConfigException("DOWNSTREAM_URL='" + maskUrlPassword(downstreamUrl
                    .toString()) + "' is not valid: expected no query or fragment, only New "
                    + "API's address and an optional path prefix");
        }
        host = parsed("SENTINEL_HOST", "0.0.0.0", SentinelConfig::listenAddress,
                "an IP address of this machine such as 0.0.0.0, 127.0.0.1 or ::");
        port = integer("SENTINEL_PORT", 8016, 0, 65535, "a port number from 0 to 65535");
        managementPort = integer("SENTINEL_MANAGEMENT_PORT", 9016, 0, 65535,
                "a port number from 0 to 65535");
        if (port != 0 && port == managementPort) {
            throw new ConfigException("SENTINEL_MANAGEMENT_PORT='" + managementPort + "' is "
                    + "not valid: expected a port other than SENTINEL_PORT");
        }
        databaseUrl = settings.get("DATABASE_URL");
        databaseUrl.ifPresent(url -> checked("DATABASE_URL", () ->
                PostgresConfig.fromDatabaseUrl(url)));
        redisUrl = settings.get("REDIS_URL");
        redisUrl.ifPresent(url -> checked("REDIS_URL", () -> RedisConfig.fromRedisUrl(url)));
        redisKeyPrefix = parsed("REDIS_KEY_PREFIX", "sentinel:", SentinelConfig::keyPrefix,
                "1 to 64 letters, digits or . _ : -");
        dataDir = Path.of(settings.get("DATA_DIR").orElse("./data")).toAbsolutePath()
                .normalize();
        hmacSecret = settings.get("SENTINEL_HMAC_SECRET");
        trustedProxies = list("TRUSTED_PROXY_IPS", Cidr::parse,
                "comma-separated CIDRs such as 172.28.0.0/16");
        bindPrefixes = new BindPrefixes(
                integer("BIND_PREFIX_V4", 32, BindPrefixes.WIDEST_V4, 32,
                        "a prefix length from " + BindPrefixes.WIDEST_V4 + " to 32"),
                integer("BIND_PREFIX_V6", 64, BindPrefixes.WIDEST_V6, 128,
                        "a prefix length from " + BindPrefixes.WIDEST_V6 + " to 128"));
        exemptPaths = new ExemptPaths(settings.get("BIND_EXEMPT_PATHS").isPresent()
                ? list("BIND_EXEMPT_PATHS", SentinelConfig::pathPrefix,
                        "comma-separated path prefixes starting with /")
                : ExemptPaths.DEFAULT.prefixes());
        bindRatePerIp = integer("BIND_RATE_PER_IP", 60, 0, 1_000_000,
                "a whole number of new bindings per minute, 0 for unlimited");
        cacheTtl = Duration.ofSeconds(integer("CACHE_TTL_SECONDS", 300, 1, 86_400,
                "a number of seconds from 1 to 86400"));
        localCacheTtl = Duration.ofMillis(integer("LOCAL_CACHE_MILLIS", 1000, 0, 1000,
                "a number of milliseconds from 0 to 1000"));
        failsafeMode = parsed("SENTINEL_FAILSAFE_MODE", "closed", FailsafeMode::parse,
                "closed or open");
        interceptBufferSize = integer("INTERCEPT_BUFFER_SIZE", 100_000, 1, 10_000_000,
                "a number of rows from 1 to 10000000");
        interceptLogPerKey = integer("INTERCEPT_LOG_PER_KEY", 100, 1, 1_000_000,
                "a number of rows per key per minute, at least 1");
        alertThresholdCount = integer("ALERT_THRESHOLD_COUNT", 5, 1, 1_000_000,
                "a number of intercepts, at least 1");
        alertWindow = Duration.ofSeconds(integer("ALERT_WINDOW_SECONDS", 300, 1, 86_400,
                "a number of seconds from 1 to 86400"));
        alertWebhookUrl = settings.get("ALERT_WEBHOOK_URL").isPresent()
                ? Optional.of(httpUrl("ALERT_WEBHOOK_URL", null))
                : Optional.empty();
        alertWebhookFormat = parsed("ALERT_WEBHOOK_FORMAT", "generic",
                SentinelConfig::webhookFormat, "generic, slack, dingtalk or feishu");
        archiveDays = integer("ARCHIVE_DAYS", 30, 1, 36_500, "a number of days, at least 1");
        adminPassword = settings.get("ADMIN_PASSWORD");
        adminJwtSecret = settings.get("ADMIN_JWT_SECRET");
        adminTokenTtl = Duration.ofMinutes(integer("ADMIN_TOKEN_TTL_MINUTES", 720, 1, 525_600,
                "a number of minutes, at least 1"));
        loginMaxAttempts = integer("LOGIN_MAX_ATTEMPTS", 5, 1, 1000,
                "a number of attempts from 1 to 1000");
        loginWindow = Duration.ofSeconds(integer("LOGIN_WINDOW_SECONDS", 900, 1, 86_400,
                "a number of seconds from 1 to 86400"));
        loginLockout = Duration.ofSeconds(integer("LOGIN_LOCKOUT_SECONDS", 900, 1, 86_400,
                "a number of seconds from 1 to 86400"));
        downstreamConnectTimeout = Duration.ofMillis(integer("DOWNSTREAM_CONNECT_TIMEOUT_MS",
                5000, 1, 600_000, "a number of milliseconds, at least 1"));
        downstreamIdleTimeout = Duration.ofSeconds(integer("DOWNSTREAM_IDLE_TIMEOUT_SECONDS",
                300, 1, 86_400, "a number of seconds from 1 to 86400"));
        clientHeaderTimeout = Duration.ofSeconds(integer("CLIENT_HEADER_TIMEOUT_SECONDS", 30,
                1, 3600, "a number of seconds from 1 to 3600"));
        maxRequestBodyBytes = integer("MAX_REQUEST_BODY_MB", 100, 1, 102_400,
                "a number of megabytes from 1 to 102400") * 1024L * 1024L;
        validateSecrets();
    }

    /**
     * Reads and validates the configuration.
     *
     * @param environment the process environment (or a test's)
     * @return the configuration
     * @throws ConfigException naming the first bad variable
     */
    public static SentinelConfig load(Map<String, String> environment) {
        return new SentinelConfig(Settings.load(environment, NAMES));
    }

    /** Returns whether no {@code DATABASE_URL} is set: embedded PostgreSQL, no Redis needed. */
    public boolean embeddedDefault() {
        return databaseUrl.isEmpty();
    }

    /**
     * Returns the effective configuration, every setting as {@code NAME=value} whether set
     * or defaulted, sorted, with secrets and the passwords of URLs masked: fit for the one
     * start-up log line.
     */
    public String describeMasked() {
        Map<String, String> shown = new TreeMap<>();
        shown.put("DOWNSTREAM_URL", downstreamUrl.toString());
        shown.put("SENTINEL_PORT", String.valueOf(port));
        shown.put("SENTINEL_MANAGEMENT_PORT", String.valueOf(managementPort));
        shown.put("SENTINEL_HOST", host);
        shown.put("DATABASE_URL", databaseUrl.map(SentinelConfig::maskUrlPassword)
                .orElse("(embedded)"));
        shown.put("REDIS_URL", redisUrl.map(SentinelConfig::maskUrlPassword)
                .orElse("(none)"));
        shown.put("REDIS_KEY_PREFIX", redisKeyPrefix);
        shown.put("DATA_DIR", dataDir.toString());
        shown.put("SENTINEL_CONFIG", settings.get("SENTINEL_CONFIG").orElse("(none)"));
        for (String secret : SECRETS) {
            shown.put(secret, settings.get(secret).isPresent() ? "****" : "(generated)");
        }
        shown.put("TRUSTED_PROXY_IPS", trustedProxies.isEmpty() ? "(none)"
                : String.join(",", trustedProxies.stream().map(Cidr::toString).toList()));
        shown.put("BIND_PREFIX_V4", String.valueOf(bindPrefixes.v4()));
        shown.put("BIND_PREFIX_V6", String.valueOf(bindPrefixes.v6()));
        shown.put("BIND_EXEMPT_PATHS", exemptPaths.prefixes().isEmpty() ? "(none)"
                : String.join(",", exemptPaths.prefixes()));
        shown.put("BIND_RATE_PER_IP", String.valueOf(bindRatePerIp));
        shown.put("CACHE_TTL_SECONDS", String.valueOf(cacheTtl.toSeconds()));
        shown.put("LOCAL_CACHE_MILLIS", String.valueOf(localCacheTtl.toMillis()));
        shown.put("SENTINEL_FAILSAFE_MODE", failsafeMode.value());
        shown.put("INTERCEPT_BUFFER_SIZE", String.valueOf(interceptBufferSize));
        shown.put("INTERCEPT_LOG_PER_KEY", String.valueOf(interceptLogPerKey));
        shown.put("ALERT_THRESHOLD_COUNT", String.valueOf(alertThresholdCount));
        shown.put("ALERT_WINDOW_SECONDS", String.valueOf(alertWindow.toSeconds()));
        // Chat webhooks carry their token in the path or query, not as a password.
        shown.put("ALERT_WEBHOOK_URL", alertWebhookUrl.map(url -> webhookOrigin(url.toString()))
                .orElse("(none)"));
        shown.put("ALERT_WEBHOOK_FORMAT", alertWebhookFormat);
        shown.put("ARCHIVE_DAYS", String.valueOf(archiveDays));
        shown.put("ADMIN_TOKEN_TTL_MINUTES", String.valueOf(adminTokenTtl.toMinutes()));
        shown.put("LOGIN_MAX_ATTEMPTS", String.valueOf(loginMaxAttempts));
        shown.put("LOGIN_WINDOW_SECONDS", String.valueOf(loginWindow.toSeconds()));
        shown.put("LOGIN_LOCKOUT_SECONDS", String.valueOf(loginLockout.toSeconds()));
        shown.put("DOWNSTREAM_CONNECT_TIMEOUT_MS",
                String.valueOf(downstreamConnectTimeout.toMillis()));
        shown.put("DOWNSTREAM_IDLE_TIMEOUT_SECONDS",
                String.valueOf(downstreamIdleTimeout.toSeconds()));
        shown.put("CLIENT_HEADER_TIMEOUT_SECONDS",
                String.valueOf(clientHeaderTimeout.toSeconds()));
        shown.put("MAX_REQUEST_BODY_MB", String.valueOf(maxRequestBodyBytes / (1024 * 1024)));

        StringBuilder line = new StringBuilder();
        shown.forEach((name, value) -> line.append(line.length() == 0 ? "" : " ")
                .append(name).append('=').append(value));
        return line.toString();
    }

    /**
     * Replaces the password of {@code scheme://user:password@host} with {@code ****}.
     *
     * @param url a URL, possibly without credentials
     * @return the URL with any password masked
     */
    public static String maskUrlPassword(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        int colon = url.indexOf(':', scheme + 3);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + "****" + url.substring(at);
    }

    /** Returns scheme, host and port of a webhook URL, and {@code /…} for the rest. */
    private static String webhookOrigin(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost()
                        + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
            }
        } catch (URISyntaxException e) {
            // Not a URL: show nothing of it.
        }
        return "****";
    }

    private void validateSecrets() {
        hmacSecret.ifPresent(secret -> {
            if (secret.length() < TokenHasher.MIN_SECRET_LENGTH) {
                throw new ConfigException("SENTINEL_HMAC_SECRET='****' has " + secret.length()
                        + " characters: expected at least " + TokenHasher.MIN_SECRET_LENGTH);
            }
        });
        adminJwtSecret.ifPresent(secret -> {
            if (secret.length() < 32) {
                throw new ConfigException("ADMIN_JWT_SECRET='****' has " + secret.length()
                        + " characters: expected at least 32");
            }
        });
        adminPassword.ifPresent(password -> {
            if (password.length() < 8) {
                throw new ConfigException("ADMIN_PASSWORD='****' has " + password.length()
                        + " characters: expected at least 8");
            }
        });

        // Only the embedded default may invent secrets: elsewhere they must survive restarts.
        if (!embeddedDefault()) {
            for (String name : List.of("SENTINEL_HMAC_SECRET", "ADMIN_PASSWORD",
                    "ADMIN_JWT_SECRET")) {
                if (settings.get(name).isEmpty()) {
                    throw new ConfigException(name + " is not set: expected it whenever "
                            + "DATABASE_URL is set (only the embedded default generates "
                            + "secrets)");
                }
            }
        }
    }

    /** The stores' own parsers know their URLs; their messages name the variable already. */
    private static void checked(String name, Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private int integer(String name, int fallback, int min, int max, String expected) {
        Optional<String> text = settings.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "='" + text.get() + "' is not valid: expected "
                    + expected);
        }
    }

    private <T> T parsed(String name, String fallback, Function<String, T> parser,
            String expected) {
        String text = settings.get(name).orElse(fallback);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + "='" + text + "' is not valid: expected "
                    + expected);
        }
    }

    private <T> List<T> list(String name, Function<String, T> parser, String expected) {
        Optional<String> text = settings.get(name);
        if (text.isEmpty()) {
            return List.of();
        }
        List<T> items = new ArrayList<>();
        for (String item : new LinkedHashSet<>(List.of(text.get().split(",", -1)))) {
            String trimmed = item.strip();
            if (trimmed.isEmpty()) {
                // A stray comma usually means a value lost in templating: say so.
                throw new ConfigException(name + "='" + text.get() + "' is not valid: an "
                        + "entry is empty; expected " + expected);
            }
            try {
                items.add(parser.apply(trimmed));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + "='" + text.get() + "' is not valid: "
                        + e.getMessage() + "; expected " + expected);
            }
        }
        return List.copyOf(items);
    }

    private URI httpUrl(String name, String fallback) {
        String text = settings.get(name).orElse(fallback);
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme()
                    .toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(name + "='" + maskUrlPassword(text) + "' is not valid: "
                    + "expected an http:// or https:// URL such as http://127.0.0.1:3000");
        }
    }

    private static String pathPrefix(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("'" + text + "' does not start with /");
        }
        return text;
    }

    private static String listenAddress(String text) {
        if (IpAddress.parse(text).isEmpty()) {
            throw new IllegalArgumentException(text);
        }
        return text;
    }

    private static String keyPrefix(String text) {
        if (!text.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new IllegalArgumentException(text);
        }
        return text;
    }

    private static String webhookFormat(String text) {
        String format = text.toLowerCase(Locale.ROOT);
        if (!WEBHOOK_FORMATS.contains(format)) {
            throw new IllegalArgumentException(text);
        }
        return format;
    }

    /** Returns New API's base URL. */
    public URI downstreamUrl() {
        return downstreamUrl;
    }

    /** Returns the address both listeners bind to. */
    public String host() {
        return host;
    }

    /** Returns the public port; 0 picks a free one. */
    public int port() {
        return port;
    }

    /** Returns the management port; 0 picks a free one. */
    public int managementPort() {
        return managementPort;
    }

    /** Returns the external PostgreSQL URL, empty for the embedded default. */
    public Optional<String> databaseUrl() {
        return databaseUrl;
    }

    /** Returns the Redis URL, empty for in-process caches and counters. */
    public Optional<String> redisUrl() {
        return redisUrl;
    }

    /** Returns the prefix of every Redis key this deployment writes. */
    public String redisKeyPrefix() {
        return redisKeyPrefix;
    }

    /** Returns the folder of the embedded database and generated secrets. */
    public Path dataDir() {
        return dataDir;
    }

    /** Returns the HMAC secret for token hashes, empty when it is to be generated. */
    public Optional<String> hmacSecret() {
        return hmacSecret;
    }

    /** Returns the networks whose {@code X-Real-IP} is believed. */
    public List<Cidr> trustedProxies() {
        return trustedProxies;
    }

    /** Returns the network widths a first use binds to. */
    public BindPrefixes bindPrefixes() {
        return bindPrefixes;
    }

    /** Returns the paths that never create a binding. */
    public ExemptPaths exemptPaths() {
        return exemptPaths;
    }

    /** Returns new bindings per client network per minute; 0 = unlimited. */
    public int bindRatePerIp() {
        return bindRatePerIp;
    }

    /** Returns how long a cached binding decides without the store. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** Returns how long the per-process cache keeps an entry (at most one second). */
    public Duration localCacheTtl() {
        return localCacheTtl;
    }

    /** Returns what happens when no store can decide. */
    public FailsafeMode failsafeMode() {
        return failsafeMode;
    }

    /** Returns how many intercept rows are buffered while PostgreSQL is down. */
    public int interceptBufferSize() {
        return interceptBufferSize;
    }

    /** Returns the intercept rows written per key per minute before summarising. */
    public int interceptLogPerKey() {
        return interceptLogPerKey;
    }

    /** Returns the intercepts per key per window that raise an alert. */
    public int alertThresholdCount() {
        return alertThresholdCount;
    }

    /** Returns the alert window. */
    public Duration alertWindow() {
        return alertWindow;
    }

    /** Returns the alert webhook, empty when none. */
    public Optional<URI> alertWebhookUrl() {
        return alertWebhookUrl;
    }

    /** Returns the alert body format: generic, slack, dingtalk or feishu. */
    public String alertWebhookFormat() {
        return alertWebhookFormat;
    }

    /** Returns the idle days before an active, not admin-edited binding is archived. */
    public int archiveDays() {
        return archiveDays;
    }

    /** Returns the admin password, empty when it is to be generated. */
    public Optional<String> adminPassword() {
        return adminPassword;
    }

    /** Returns the admin token signing secret, empty when it is to be generated. */
    public Optional<String> adminJwtSecret() {
        return adminJwtSecret;
    }

    /** Returns how long an admin token is valid. */
    public Duration adminTokenTtl() {
        return adminTokenTtl;
    }

    /** Returns the failed logins per client IP and window before lockout. */
    public int loginMaxAttempts() {
        return loginMaxAttempts;
    }

    /** Returns the window in which failed logins are counted. */
    public Duration loginWindow() {
        return loginWindow;
    }

    /** Returns how long a locked-out address waits. */
    public Duration loginLockout() {
        return loginLockout;
    }

    /** Returns the downstream connect timeout. */
    public Duration downstreamConnectTimeout() {
        return downstreamConnectTimeout;
    }

    /** Returns how long a new connection may take to send its first request's headers. */
    public Duration clientHeaderTimeout() {
        return clientHeaderTimeout;
    }

    /** Returns the longest downstream silence tolerated, per read. */
    public Duration downstreamIdleTimeout() {
        return downstreamIdleTimeout;
    }

    /** Returns the largest request body accepted, in bytes. */
    public long maxRequestBodyBytes() {
        return maxRequestBodyBytes;
    }
}
