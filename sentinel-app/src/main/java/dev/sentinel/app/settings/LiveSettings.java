package dev.sentinel.app.settings;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.domain.guard.GuardSettings;
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

    /** Returns what the binding guard reads, from the settings in force. */
    public GuardSettings guardSettings() {
        EffectiveSettings now = current.get();
        return new GuardSettings(now.bindPrefixes(), config.exemptPaths(),
                now.bindsPerMinute(), now.failsafeMode(), config.cacheTtl());
    }
}
