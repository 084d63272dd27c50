package dev.sentinel.app.observe;

import dev.sentinel.adapters.StoreStateListener;
import java.lang.System.Logger.Level;

/**
 * Logs each store state change once: a store going down is worth an operator's attention,
 * and so is its return.
 *
 * <p>Thread-safe.
 */
public final class LoggingStoreStateListener implements StoreStateListener {

    private static final System.Logger LOG = System.getLogger("dev.sentinel.stores");

    @Override
    public void storeDown(String store, Throwable cause) {
        LOG.log(Level.WARNING, "store down store={0} cause={1}", store,
                cause == null ? "unknown" : LogText.escape(cause.toString()));
    }

    @Override
    public void storeUp(String store) {
        LOG.log(Level.INFO, "store up store={0}", store);
    }
}
