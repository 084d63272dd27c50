package dev.sentinel.app.observe;

import dev.sentinel.app.websocket.BridgeListener;
import dev.sentinel.app.websocket.BridgeSummary;
import dev.sentinel.app.websocket.Direction;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts bridged WebSocket connections (opened, refused, overflowed, closed) and the bytes
 * relayed each way, as the proxy's listener does for HTTP.
 *
 * <p>Thread-safe.
 */
public final class MetricsBridgeListener implements BridgeListener {

    private static final String CONNECTIONS = "sentinel.websocket.connections";
    private static final String CONNECTIONS_DESCRIPTION =
            "WebSocket handshakes and bridged connections, by event";
    private static final String BYTES = "sentinel.websocket.bytes";
    private static final String BYTES_DESCRIPTION = "WebSocket payload bytes relayed, by direction";

    private final SentinelMetrics metrics;

    /**
     * Creates the listener.
     *
     * @param metrics where to count
     */
    public MetricsBridgeListener(SentinelMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        for (Direction direction : Direction.values()) {
            metrics.counter(BYTES, BYTES_DESCRIPTION, "direction", tag(direction));
        }
    }

    @Override
    public void refused(String requestId, int status, String code) {
        metrics.event(CONNECTIONS, CONNECTIONS_DESCRIPTION, "event", "refused");
    }

    @Override
    public void opened(String requestId) {
        metrics.event(CONNECTIONS, CONNECTIONS_DESCRIPTION, "event", "opened");
    }

    @Override
    public void relayed(Direction direction, int bytes) {
        metrics.counter(BYTES, BYTES_DESCRIPTION, "direction", tag(direction)).increment(bytes);
    }

    @Override
    public void overflowed(String requestId, Direction direction) {
        metrics.event(CONNECTIONS, CONNECTIONS_DESCRIPTION, "event", "overflowed");
    }

    @Override
    public void closed(String requestId, BridgeSummary summary) {
        metrics.event(CONNECTIONS, CONNECTIONS_DESCRIPTION, "event", "closed");
    }

    private static String tag(Direction direction) {
        return direction.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
