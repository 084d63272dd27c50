package dev.sentinel.app;

import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.observe.OrderlyLogManager;
import dev.sentinel.domain.SentinelException;
import io.helidon.logging.common.LogConfig;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

/**
 * The launcher: read the environment, start {@link Sentinel}, stop it on SIGTERM.
 */
public final class Main {

    static {
        // Before anything logs: keep logging alive until the shutdown hook below is done.
        System.setProperty("java.util.logging.manager", OrderlyLogManager.class.getName());
    }

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Starts Sentinel from the environment.
     *
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) throws InterruptedException {
        LogConfig.configureRuntime();
        SentinelConfig config;
        try {
            config = SentinelConfig.load(System.getenv());
        } catch (ConfigException e) {
            // One line naming the variable; a stack trace would bury it.
            System.err.println("sentinel: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }

        Sentinel sentinel;
        try {
            sentinel = Sentinel.start(config);
        } catch (SentinelException e) {
            // A store that cannot be reached at start: one line saying which and why.
            String cause = e.getCause() == null ? "" : rootCause(e);
            System.err.println("sentinel: cannot start: " + e.getMessage()
                    + (cause.isEmpty() || e.getMessage().contains(cause) ? "" : " (" + cause
                    + ")"));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.log(Level.INFO, "stopping");
            sentinel.close();
            LOG.log(Level.INFO, "stopped");
            stopped.countDown();
            OrderlyLogManager.sentinelStopped();
        }, "sentinel-shutdown"));
        stopped.await();
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().lines()
                .findFirst().orElse("");
        return root.getClass().getSimpleName() + message;
    }
}
