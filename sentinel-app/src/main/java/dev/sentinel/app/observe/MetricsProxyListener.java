package dev.sentinel.app.observe;

import dev.sentinel.app.proxy.ProxyListener;
import dev.sentinel.domain.RefusalCode;
import java.util.Objects;

/**
 * Counts what the proxy sees around the guard: requests refused before any decision (they
 * count as {@code refused} requests), New API's latency, its failures, and broken streams.
 *
 * <p>Thread-safe.
 */
public final class MetricsProxyListener implements ProxyListener {

    private final SentinelMetrics metrics;

    /**
     * Creates the listener.
     *
     * @param metrics where to count
     */
    public MetricsProxyListener(SentinelMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void refused(RefusalCode code) {
        metrics.request("refused");
        metrics.refusal(code.code());
    }

    @Override
    public void downstreamAnswered(int status, long nanos) {
        metrics.downstreamAnswered(nanos);
    }

    @Override
    public void downstreamFailed(RefusalCode code) {
        metrics.refusal(code.code());
    }

    @Override
    public void streamBroken(String cause) {
        metrics.event("sentinel.streams.broken",
                "Bodies that broke off mid-stream, on either side");
    }
}
