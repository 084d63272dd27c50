package dev.sentinel.app.observe;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.guard.AccessAttempt;
import dev.sentinel.domain.guard.FailsafeMode;
import dev.sentinel.domain.port.GuardListener;
import java.util.Objects;

/**
 * Counts the guard's decisions: {@code sentinel_requests_total} by outcome, the refusals
 * among them by code, stale cache decisions and undone first uses.
 *
 * <p>Thread-safe.
 */
public final class MetricsGuardListener implements GuardListener {

    private final SentinelMetrics metrics;

    /**
     * Creates the listener.
     *
     * @param metrics where to count
     */
    public MetricsGuardListener(SentinelMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void allowed(AccessAttempt attempt, Binding binding) {
        metrics.request("allowed");
    }

    @Override
    public void bound(AccessAttempt attempt, Binding binding) {
        metrics.request("bound");
    }

    @Override
    public void passedUnbound(AccessAttempt attempt) {
        metrics.request("passed_unbound");
    }

    @Override
    public void intercepted(AccessAttempt attempt, Binding binding, InterceptReason reason) {
        metrics.request("intercepted");
        metrics.refusal(RefusalCode.ACCESS_DENIED.code());
    }

    @Override
    public void refused(AccessAttempt attempt, RefusalCode code) {
        metrics.request("refused");
        metrics.refusal(code.code());
    }

    @Override
    public void failsafe(AccessAttempt attempt, FailsafeMode mode, RuntimeException cause) {
        metrics.request("failsafe_" + mode.value());
        if (mode == FailsafeMode.CLOSED) {
            metrics.refusal(RefusalCode.FAILSAFE_CLOSED.code());
        }
    }

    @Override
    public void staleEntryUsed(AccessAttempt attempt) {
        metrics.event("sentinel.cache.stale.decisions",
                "Decisions made by a cache entry past its freshness while PostgreSQL was down");
    }

    @Override
    public void firstUseUndone(Binding binding, String why) {
        metrics.event("sentinel.first.uses.undone",
                "Bindings deleted again because New API refused the key or never answered");
    }

    @Override
    public void undoFailed(Binding binding, RuntimeException cause) {
        metrics.event("sentinel.first.uses.undo.failed",
                "First uses that should have been undone but PostgreSQL could not");
    }
}
