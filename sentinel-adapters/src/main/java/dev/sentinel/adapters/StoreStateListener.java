package dev.sentinel.adapters;

/**
 * Hears when a store goes down or comes back, so that the application can log it once and
 * show it. Each change is reported exactly once, in order: a {@code storeDown} is followed
 * by at most one {@code storeUp} before the next {@code storeDown}.
 *
 * <p>Implementations must be thread-safe, fast, and must not throw; they are called from
 * request threads and from background probes.
 */
public interface StoreStateListener {

    /** A listener that ignores every change. */
    StoreStateListener NONE = new StoreStateListener() {
        @Override
        public void storeDown(String store, Throwable cause) {
        }

        @Override
        public void storeUp(String store) {
        }
    };

    /**
     * A store stopped answering; calls to it now fail at once.
     *
     * @param store the store's name, {@code postgresql} or {@code redis}
     * @param cause the failure that showed it
     */
    void storeDown(String store, Throwable cause);

    /**
     * A store answers again after being down.
     *
     * @param store the store's name, {@code postgresql} or {@code redis}
     */
    void storeUp(String store);
}
