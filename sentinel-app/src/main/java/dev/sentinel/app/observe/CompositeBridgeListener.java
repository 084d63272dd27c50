package dev.sentinel.app.observe;

import dev.sentinel.app.websocket.BridgeListener;
import dev.sentinel.app.websocket.BridgeSummary;
import dev.sentinel.app.websocket.Direction;
import java.util.List;

/**
 * Hands every bridge event to several listeners, in order (logging, then metrics).
 *
 * <p>Thread-safe when its listeners are.
 */
public final class CompositeBridgeListener implements BridgeListener {

    private final List<BridgeListener> listeners;

    private CompositeBridgeListener(List<BridgeListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * Combines listeners.
     *
     * @param listeners the listeners, called in this order
     * @return one listener
     */
    public static BridgeListener of(BridgeListener... listeners) {
        return new CompositeBridgeListener(List.of(listeners));
    }

    @Override
    public void refused(String requestId, int status, String code) {
        listeners.forEach(listener -> listener.refused(requestId, status, code));
    }

    @Override
    public void opened(String requestId) {
        listeners.forEach(listener -> listener.opened(requestId));
    }

    @Override
    public void relayed(Direction direction, int bytes) {
        for (BridgeListener listener : listeners) {
            listener.relayed(direction, bytes);
        }
    }

    @Override
    public void overflowed(String requestId, Direction direction) {
        listeners.forEach(listener -> listener.overflowed(requestId, direction));
    }

    @Override
    public void closed(String requestId, BridgeSummary summary) {
        listeners.forEach(listener -> listener.closed(requestId, summary));
    }
}
