package dev.sentinel.app.observe;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} that keeps logging alive during shutdown until Sentinel has stopped.
 * The JDK resets logging in its own shutdown hook, which runs at the same time as
 * Sentinel's, so the lines about draining streams and flushing buffered rows were lost.
 *
 * <p>Installed by {@code Main} through {@code java.util.logging.manager} before anything
 * logs. Thread-safe.
 */
public final class OrderlyLogManager extends LogManager {

    private static volatile boolean stopped;

    /** Creates the manager; called by the JDK. */
    public OrderlyLogManager() {
    }

    /** Lets the next {@link #reset()} (the JDK's shutdown hook) go ahead. */
    public static void sentinelStopped() {
        stopped = true;
        if (LogManager.getLogManager() instanceof OrderlyLogManager manager) {
            manager.resetNow();
        }
    }

    @Override
    public void reset() {
        // Before Sentinel stopped, only the JDK's shutdown hook calls reset: ignore it.
        if (stopped || !shuttingDown()) {
            super.reset();
        }
    }

    private void resetNow() {
        super.reset();
    }

    private static boolean shuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
