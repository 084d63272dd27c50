package dev.sentinel.app.observe;

import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.StoreStateListener;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows each configured store as {@code sentinel_store_up{store}} (1 up, 0 down) and counts
 * its state changes. A store that is not configured (Redis in the embedded default) has no
 * gauge at all.
 *
 * <p>Thread-safe.
 */
public final class MetricsStoreStateListener implements StoreStateListener {

    private final SentinelMetrics metrics;
    private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();

    /**
     * Creates the listener with a gauge per configured store, each starting up.
     *
     * @param metrics where to show the states
     * @param stores the configured stores' names
     */
    public MetricsStoreStateListener(SentinelMetrics metrics, String... stores) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        for (String store : stores) {
            AtomicInteger state = new AtomicInteger(1);
            up.put(store, state);
            metrics.gauge("sentinel.store.up", "Whether a store answers: 1 up, 0 down",
                    "store", store, state::get);
        }
    }

    @Override
    public void storeDown(String store, Throwable cause) {
        changed(store, StoreState.DOWN);
    }

    @Override
    public void storeUp(String store) {
        changed(store, StoreState.UP);
    }

    private void changed(String store, StoreState state) {
        AtomicInteger gauge = up.get(store);
        if (gauge != null) {
            gauge.set(state == StoreState.UP ? 1 : 0);
        }
        metrics.event("sentinel.store.state.changes", "Store state changes, by new state",
                "store", store, "state", state.value());
    }
}
