package dev.sentinel.app.observe;

import dev.sentinel.adapters.StoreStateListener;
import java.util.List;
import java.util.function.Consumer;

/**
 * Passes each store state change to several listeners in order (logs, then metrics).
 *
 * <p>Thread-safe when its listeners are.
 */
public final class CompositeStoreStateListener implements StoreStateListener {

    private final List<StoreStateListener> listeners;

    private CompositeStoreStateListener(List<StoreStateListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * Combines listeners.
     *
     * @param listeners the listeners, called in this order
     * @return one listener telling them all
     */
    public static StoreStateListener of(StoreStateListener... listeners) {
        return new CompositeStoreStateListener(List.of(listeners));
    }

    @Override
    public void storeDown(String store, Throwable cause) {
        each(listener -> listener.storeDown(store, cause));
    }

    @Override
    public void storeUp(String store) {
        each(listener -> listener.storeUp(store));
    }

    private void each(Consumer<StoreStateListener> event) {
        for (StoreStateListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                // One listener's failure must not hide a state change from the others.
            }
        }
    }
}
