package dev.sentinel.app.settings;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.domain.guard.GuardSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where every component reads the settings in force. Components never keep a copy: they
 * call {@link #current()} when they need a value, so an admin's change applies to the next
 * decision. Whoever loads stored changes (and hears other replicas' changes) calls
 * {@link #replace}.
 *
 * <p>Thread-safe.
 */
public final class LiveSettings {

    private final SentinelConfig config;
    private final AtomicReference<EffectiveSettings> current;

    /**
     * Starts from the environment's values.
     *
     * @param config the start-up configuration
     */
    public LiveSettings(SentinelConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.current = new AtomicReference<>(fromEnvironment(config));
    }

    /** Returns the values the environment gives, before any admin change. */
    public static EffectiveSettings fromEnvironment(SentinelConfig config) {
        return new EffectiveSettings(config.failsafeMode(), config.alertThresholdCount(),
                config.alertWindow(), config.alertWebhookUrl(), config.alertWebhookFormat(),
                config.archiveDays(), config.bindPrefixes(), config.bindRatePerIp());
    }

    /** Returns the settings in force. */
    public EffectiveSettings current() {
        return current.get();
    }

    /**
     * Puts new settings in force.
     *
     * @param settings the settings, already validated
     */
    public void replace(EffectiveSettings settings) {
        current.set(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Returns how long a cached binding decides without PostgreSQL. With Redis, its entries
     * are shared and evicted on every replica, so they may decide for {@code
     * CACHE_TTL_SECONDS}. Without Redis the only cache is in this process, which no other
     * replica's change reaches: it decides for {@code LOCAL_CACHE_MILLIS} at most, and keeps
     * its entries longer only to stand in while PostgreSQL is down.
     *
     * @param config the start-up configuration
     * @return the freshness the guard applies
     */
    static Duration cacheFreshness(SentinelConfig config) {
        return config.redisUrl().isPresent() ? config.cacheTtl() : config.localCacheTtl();
    }

    /** Returns what the binding guard reads, from the settings in force. */
    public GuardSettings guardSettings() {
        EffectiveSettings now = current.get();
        return new GuardSettings(now.bindPrefixes(), config.exemptPaths(),
                now.bindsPerMinute(), now.failsafeMode(), cacheFreshness(config));
    }
}
