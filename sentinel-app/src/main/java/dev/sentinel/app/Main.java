package dev.sentinel.app;

import dev.sentinel.app.config.ConfigException;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.observe.OrderlyLogManager;
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

        Sentinel sentinel = Sentinel.start(config);
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
}
