package dev.sentinel.app.observe;

import dev.sentinel.adapters.StoreState;
import dev.sentinel.domain.guard.FailsafeMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code /health/ready} reports: each store as {@code up}, {@code down} or
 * {@code absent}, and the failsafe mode with its state. The failsafe decides keys no cache
 * holds while PostgreSQL is down: it is {@code standby} while PostgreSQL is up, else
 * {@code refusing} in closed mode or {@code passing} in open mode. The instance is not
 * ready (503) only when the failsafe refuses and Redis is not up either: while Redis is up,
 * its entries still decide every key in use, so the instance serves traffic, and a load
 * balancer that pulled it would pull every replica of the shared PostgreSQL with it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param postgres PostgreSQL's state
 * @param redis Redis's state, empty when no Redis is configured
 * @param mode the failsafe mode in force
 */
public record Readiness(StoreState postgres, Optional<StoreState> redis, FailsafeMode mode) {

    /** Checks that nothing is missing. */
    public Readiness {
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(mode, "mode");
    }

    /** Returns the failsafe's state: standby, refusing or passing. */
    public String failsafeState() {
        if (postgres == StoreState.UP) {
            return "standby";
        }
        return mode == FailsafeMode.CLOSED ? "refusing" : "passing";
    }

    /** Returns whether the instance is ready: all but a refusing failsafe with no Redis up. */
    public boolean ready() {
        boolean cacheDecides = redis.filter(state -> state == StoreState.UP).isPresent();
        return cacheDecides || !failsafeState().equals("refusing");
    }

    /** Returns the HTTP status: 200 when ready, else 503. */
    public int httpStatus() {
        return ready() ? 200 : 503;
    }

    /** Returns the report as JSON-ready maps, in a stable order. */
    public Map<String, Object> report() {
        Map<String, Object> stores = new LinkedHashMap<>();
        stores.put("postgresql", postgres.value());
        stores.put("redis", redis.map(StoreState::value).orElse("absent"));
        Map<String, Object> failsafe = new LinkedHashMap<>();
        failsafe.put("mode", mode.value());
        failsafe.put("state", failsafeState());
        boolean degraded = postgres == StoreState.DOWN
                || redis.filter(state -> state == StoreState.DOWN).isPresent();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", !ready() ? "refusing" : degraded ? "degraded" : "ready");
        report.put("stores", stores);
        report.put("failsafe", failsafe);
        return report;
    }
}
