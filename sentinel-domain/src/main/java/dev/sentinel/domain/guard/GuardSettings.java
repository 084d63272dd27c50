package dev.sentinel.domain.guard;

import dev.sentinel.domain.binding.BindPrefixes;
import dev.sentinel.domain.binding.ExemptPaths;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings the guard reads on every decision. Admins change some of them at run time,
 * so the guard reads them through a supplier and never keeps a copy.
 *
 * @param bindPrefixes the network a first use binds to
 * @param exemptPaths paths that never create a binding
 * @param bindsPerMinute new bindings per client network per sliding minute; 0 = unlimited
 * @param failsafeMode what happens when no store can decide
 * @param cacheFreshness how long a cached binding decides without asking the store
 */
public record GuardSettings(
        BindPrefixes bindPrefixes,
        ExemptPaths exemptPaths,
        int bindsPerMinute,
        FailsafeMode failsafeMode,
        Duration cacheFreshness) {

    /** The defaults of the specification. */
    public static final GuardSettings DEFAULT = new GuardSettings(BindPrefixes.DEFAULT,
            ExemptPaths.DEFAULT, 60, FailsafeMode.CLOSED, Duration.ofSeconds(300));

    /** Checks that nothing is missing and that the numbers are in range. */
    public GuardSettings {
        Objects.requireNonNull(bindPrefixes, "bindPrefixes");
        Objects.requireNonNull(exemptPaths, "exemptPaths");
        Objects.requireNonNull(failsafeMode, "failsafeMode");
        Objects.requireNonNull(cacheFreshness, "cacheFreshness");
        if (bindsPerMinute < 0) {
            throw new IllegalArgumentException("new bindings per minute " + bindsPerMinute
                    + " is negative: expected 0 (unlimited) or more");
        }
        if (cacheFreshness.isNegative()) {
            throw new IllegalArgumentException("cache freshness " + cacheFreshness
                    + " is negative");
        }
    }

    /** Returns a copy with another failsafe mode. */
    public GuardSettings withFailsafeMode(FailsafeMode mode) {
        return new GuardSettings(bindPrefixes, exemptPaths, bindsPerMinute, mode,
                cacheFreshness);
    }

    /** Returns a copy with another new-binding limit. */
    public GuardSettings withBindsPerMinute(int perMinute) {
        return new GuardSettings(bindPrefixes, exemptPaths, perMinute, failsafeMode,
                cacheFreshness);
    }

    /** Returns a copy with other bind prefixes. */
    public GuardSettings withBindPrefixes(BindPrefixes prefixes) {
        return new GuardSettings(prefixes, exemptPaths, bindsPerMinute, failsafeMode,
                cacheFreshness);
    }
}
