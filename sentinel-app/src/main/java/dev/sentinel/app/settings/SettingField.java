package dev.sentinel.app.settings;

import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.guard.FailsafeMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The settings admins may change at run time. Each has a name in the admin API, the
 * configuration variable whose value it overrides, and one validation, used for values from
 * the API and from the database alike. Values travel as text spelled as in the environment.
 *
 * <p>Immutable and thread-safe.
 */
public enum SettingField {

    /** What happens to keyed requests when no store can decide. */
    FAILSAFE_MODE("failsafeMode", "SENTINEL_FAILSAFE_MODE", Kind.TEXT, "closed or open"),
    /** Intercepts per key per window that raise an alert. */
    ALERT_THRESHOLD_COUNT("alertThresholdCount", "ALERT_THRESHOLD_COUNT", Kind.NUMBER,
            "a whole number from 1 to 1000000"),
    /** The alert window. */
    ALERT_WINDOW_SECONDS("alertWindowSeconds", "ALERT_WINDOW_SECONDS", Kind.NUMBER,
            "a whole number of seconds from 1 to 86400"),
    /** Where alerts are sent. */
    ALERT_WEBHOOK_URL("alertWebhookUrl", "ALERT_WEBHOOK_URL", Kind.OPTIONAL_TEXT,
            "an http:// or https:// URL, or null for none"),
    /** The alert body format. */
    ALERT_WEBHOOK_FORMAT("alertWebhookFormat", "ALERT_WEBHOOK_FORMAT", Kind.TEXT,
            "generic, slack, dingtalk or feishu"),
    /** Idle days before an automatic binding is archived. */
    ARCHIVE_DAYS("archiveDays", "ARCHIVE_DAYS", Kind.NUMBER,
            "a whole number of days from 1 to 36500"),
    /** The IPv4 network a first use binds to. */
    BIND_PREFIX_V4("bindPrefixV4", "BIND_PREFIX_V4", Kind.NUMBER,
            "a prefix length from " + BindPrefixes.WIDEST_V4 + " to 32"),
    /** The IPv6 network a first use binds to. */
    BIND_PREFIX_V6("bindPrefixV6", "BIND_PREFIX_V6", Kind.NUMBER,
            "a prefix length from " + BindPrefixes.WIDEST_V6 + " to 128"),
    /** New bindings per client network per minute. */
    BIND_RATE_PER_IP("bindRatePerIp", "BIND_RATE_PER_IP", Kind.NUMBER,
            "a whole number of new bindings per minute from 0 (unlimited) to 1000000");

    /** How a value is written in JSON. */
    public enum Kind {
        /** A JSON string. */
        TEXT,
        /** A JSON string, or null for none. */
        OPTIONAL_TEXT,
        /** A JSON whole number. */
        NUMBER
    }

    private static final Set<String> WEBHOOK_FORMATS = Set.of("generic", "slack", "dingtalk",
            "feishu");

    /** Any valid settings: {@link #canonical} applies a value to them to check it. */
    private static final EffectiveSettings ANY_VALID = new EffectiveSettings(FailsafeMode.CLOSED,
            5, Duration.ofSeconds(300), Optional.empty(), "generic", 30, BindPrefixes.DEFAULT,
            60);

    private final String apiName;
    private final String variable;
    private final Kind kind;
    private final String expected;

    SettingField(String apiName, String variable, Kind kind, String expected) {
        this.apiName = apiName;
        this.variable = variable;
        this.kind = kind;
        this.expected = expected;
    }

    /** Returns the name in the admin API, such as {@code failsafeMode}. */
    public String apiName() {
        return apiName;
    }

    /** Returns the configuration variable, such as {@code SENTINEL_FAILSAFE_MODE}. */
    public String variable() {
        return variable;
    }

    /** Returns how the value is written in JSON. */
    public Kind kind() {
        return kind;
    }

    /** Returns what a valid value looks like, for error messages and the console. */
    public String expected() {
        return expected;
    }

    /**
     * Finds a setting by its API name.
     *
     * @param apiName such as {@code failsafeMode}
     * @return the setting, or empty when there is none of that name
     */
    public static Optional<SettingField> byApiName(String apiName) {
        for (SettingField field : values()) {
            if (field.apiName.equals(apiName)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds a setting by its variable.
     *
     * @param variable such as {@code SENTINEL_FAILSAFE_MODE}
     * @return the setting, or empty when there is none of that name
     */
    public static Optional<SettingField> byVariable(String variable) {
        for (SettingField field : values()) {
            if (field.variable.equals(variable)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns this setting's value in {@code settings}, as JSON would carry it: a string, an
     * integer, or null for an optional setting that is not set.
     */
    public Object value(EffectiveSettings settings) {
        return switch (this) {
            case FAILSAFE_MODE -> settings.failsafeMode().value();
            case ALERT_THRESHOLD_COUNT -> settings.alertThreshold();
            case ALERT_WINDOW_SECONDS -> Math.toIntExact(settings.alertWindow().toSeconds());
            case ALERT_WEBHOOK_URL -> settings.alertWebhookUrl().map(URI::toString)
                    .orElse(null);
            case ALERT_WEBHOOK_FORMAT -> settings.alertWebhookFormat();
            case ARCHIVE_DAYS -> settings.archiveDays();
            case BIND_PREFIX_V4 -> settings.bindPrefixes().v4();
            case BIND_PREFIX_V6 -> settings.bindPrefixes().v6();
            case BIND_RATE_PER_IP -> settings.bindsPerMinute();
        };
    }

    /**
     * Returns {@code settings} with this setting changed.
     *
     * @param settings the settings before
     * @param text the new value as the environment would spell it; empty clears an optional
     *         setting
     * @return the settings after
     * @throws IllegalArgumentException naming the setting, the value and what was expected
     */
    public EffectiveSettings apply(EffectiveSettings settings, String text) {
        try {
            return applyChecked(settings, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(apiName + "=" + quoted(text) + " is not valid: "
                    + "expected " + expected, e);
        }
    }

    /**
     * Returns the canonical text of a valid value, as it is stored.
     *
     * @param text a value as the environment would spell it
     * @return the canonical text
     * @throws IllegalArgumentException when the value is not valid
     */
    public String canonical(String text) {
        EffectiveSettings applied = apply(ANY_VALID, text);
        Object value = value(applied);
        return value == null ? "" : value.toString();
    }

    private EffectiveSettings applyChecked(EffectiveSettings s, String text) {
        return switch (this) {
            case FAILSAFE_MODE -> new EffectiveSettings(FailsafeMode.parse(text),
                    s.alertThreshold(), s.alertWindow(), s.alertWebhookUrl(),
                    s.alertWebhookFormat(), s.archiveDays(), s.bindPrefixes(),
                    s.bindsPerMinute());
            case ALERT_THRESHOLD_COUNT -> new EffectiveSettings(s.failsafeMode(),
                    number(text, 1, 1_000_000), s.alertWindow(), s.alertWebhookUrl(),
                    s.alertWebhookFormat(), s.archiveDays(), s.bindPrefixes(),
                    s.bindsPerMinute());
            case ALERT_WINDOW_SECONDS -> new EffectiveSettings(s.failsafeMode(),
                    s.alertThreshold(), Duration.ofSeconds(number(text, 1, 86_400)),
                    s.alertWebhookUrl(), s.alertWebhookFormat(), s.archiveDays(),
                    s.bindPrefixes(), s.bindsPerMinute());
            case ALERT_WEBHOOK_URL -> new EffectiveSettings(s.failsafeMode(),
                    s.alertThreshold(), s.alertWindow(), webhookUrl(text),
                    s.alertWebhookFormat(), s.archiveDays(), s.bindPrefixes(),
                    s.bindsPerMinute());
            case ALERT_WEBHOOK_FORMAT -> new EffectiveSettings(s.failsafeMode(),
                    s.alertThreshold(), s.alertWindow(), s.alertWebhookUrl(),
                    webhookFormat(text), s.archiveDays(), s.bindPrefixes(),
                    s.bindsPerMinute());
            case ARCHIVE_DAYS -> new EffectiveSettings(s.failsafeMode(), s.alertThreshold(),
                    s.alertWindow(), s.alertWebhookUrl(), s.alertWebhookFormat(),
                    number(text, 1, 36_500), s.bindPrefixes(), s.bindsPerMinute());
            case BIND_PREFIX_V4 -> new EffectiveSettings(s.failsafeMode(), s.alertThreshold(),
                    s.alertWindow(), s.alertWebhookUrl(), s.alertWebhookFormat(),
                    s.archiveDays(), new BindPrefixes(number(text, BindPrefixes.WIDEST_V4, 32),
                            s.bindPrefixes().v6()), s.bindsPerMinute());
            case BIND_PREFIX_V6 -> new EffectiveSettings(s.failsafeMode(), s.alertThreshold(),
                    s.alertWindow(), s.alertWebhookUrl(), s.alertWebhookFormat(),
                    s.archiveDays(), new BindPrefixes(s.bindPrefixes().v4(),
                            number(text, BindPrefixes.WIDEST_V6, 128)), s.bindsPerMinute());
            case BIND_RATE_PER_IP -> new EffectiveSettings(s.failsafeMode(),
                    s.alertThreshold(), s.alertWindow(), s.alertWebhookUrl(),
                    s.alertWebhookFormat(), s.archiveDays(), s.bindPrefixes(),
                    number(text, 0, 1_000_000));
        };
    }

    private static int number(String text, int min, int max) {
        if (!text.matches("-?[0-9]{1,10}")) {
            throw new IllegalArgumentException("not a whole number");
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return (int) value;
    }

    private static Optional<URI> webhookUrl(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? ""
                    : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL", e);
        }
    }

    private static String webhookFormat(String text) {
        String format = text.toLowerCase(Locale.ROOT);
        if (!WEBHOOK_FORMATS.contains(format)) {
            throw new IllegalArgumentException("unknown format");
        }
        return format;
    }

    /** Quotes a value for a message; webhook URLs may carry tokens, so only their start. */
    private String quoted(String text) {
        String shown = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        if (this == ALERT_WEBHOOK_URL && shown.length() > 24) {
            shown = shown.substring(0, 24) + "…";
        }
        return "'" + shown + "'";
    }
}
