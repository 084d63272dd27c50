package dev.sentinel.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.StoreStateListener;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.SentinelException;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.port.BindingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * Sentinel's PostgreSQL stores: one connection pool, the schema migrated on connect, and the
 * ports built on it.
 *
 * <p>Every store call goes through one circuit: after a connection-level failure the
 * database is marked down, later calls fail at once with
 * {@link StoreUnavailableException}, and a background probe ({@code SELECT 1} every 500 ms)
 * marks it up again. {@link #state()} reads the circuit.
 *
 * <p>Thread-safe. {@link #close()} flushes the writers it created, then closes the pool.
 */
public final class PostgresStores implements AutoCloseable {

    /** The store's name in state reports. */
    public static final String STORE_NAME = "postgresql";

    private static final String MIGRATIONS = "classpath:db/migration/sentinel";

    private final PostgresConfig config;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final PostgresBindingStore bindingStore;
    private final List<AutoCloseable> writers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private PostgresStores(PostgresConfig config, HikariDataSource pool,
            StoreStateListener listener) {
        this.config = config;
        this.pool = pool;
        Jdbi database = Jdbi.create(pool).installPlugin(new PostgresPlugin());
        this.jdbi = database;
        this.circuit = StoreCircuit.create(STORE_NAME,
                () -> database.useHandle(handle -> handle.execute("SELECT 1")),
                PostgresFailures::isOutage, listener, StoreCircuit.DEFAULT_PROBE_INTERVAL);
        this.bindingStore = new PostgresBindingStore(pool, circuit);
    }

    /**
     * Connects without a state listener; see {@link #connect(PostgresConfig,
     * StoreStateListener)}.
     *
     * @param config where and how to connect
     * @return the stores
     */
    public static PostgresStores connect(PostgresConfig config) {
        return connect(config, StoreStateListener.NONE);
    }

    /**
     * Opens the connection pool and migrates the configured schema (creating it when
     * missing) to the newest version.
     *
     * @param config where and how to connect
     * @param listener hears when the database goes down and comes back
     * @return the stores
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws SentinelException when it refuses the connection or the migration
     */
    public static PostgresStores connect(PostgresConfig config, StoreStateListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        HikariDataSource pool = openPool(config);
        try {
            migrate(config, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresStores(config, pool, listener);
    }

    /** Returns the configuration it connected with. */
    public PostgresConfig config() {
        return config;
    }

    /** Returns the binding store; the same instance on every call. */
    public BindingStore bindingStore() {
        return bindingStore;
    }

    /**
     * Starts an intercept log that writes every intercept as a row, in the background;
     * closed with these stores.
     *
     * @param bufferSize how many rows may wait for the database before new ones are
     *         summarised
     * @return the log
     */
    public BufferedInterceptLog interceptLog(int bufferSize) {
        return interceptLog(bufferSize, Integer.MAX_VALUE);
    }

    /**
     * Starts an intercept log that writes in the background and summarises floods; closed
     * with these stores.
     *
     * @param bufferSize how many rows may wait for the database before new ones are
     *         summarised
     * @param rowsPerKeyPerMinute rows written per key and minute (by this process) before
     *         further intercepts of that key and minute are summarised
     * @return the log
     */
    public BufferedInterceptLog interceptLog(int bufferSize, int rowsPerKeyPerMinute) {
        return register(new PostgresInterceptLog(jdbi, circuit, bufferSize,
                rowsPerKeyPerMinute));
    }

    /**
     * Starts a last-seen recorder that writes once per interval; closed with these stores.
     *
     * @param flushInterval how often pending uses are written
     * @return the recorder
     */
    public BatchedLastSeenRecorder lastSeenRecorder(Duration flushInterval) {
        return register(new PostgresLastSeenRecorder(jdbi, circuit, flushInterval));
    }

    /**
     * Starts an alert history that writes in the background; closed with these stores.
     *
     * @param bufferSize how many rows may wait for the database before new ones are dropped
     * @return the history
     */
    public AlertHistory alertHistory(int bufferSize) {
        return register(new PostgresAlertHistory(jdbi, circuit, bufferSize));
    }

    /** Returns the archive of idle bindings; a new, stateless instance on every call. */
    public BindingArchive bindingArchive() {
        return new PostgresBindingArchive(jdbi, circuit);
    }

    /**
     * Asks the database {@code SELECT 1}; answers {@code false} at once while it is down.
     *
     * @return whether the database answered
     */
    public boolean ping() {
        try {
            circuit.run("answer a ping", () -> jdbi.useHandle(handle ->
                    handle.execute("SELECT 1")));
            return true;
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    /** Returns whether the database is up or down, as the circuit last saw it. */
    public StoreState state() {
        return circuit.state();
    }

    /**
     * Returns the JDBI instance on the pool, for queries of other adapters (admin pages).
     * Calls made through it bypass the circuit.
     */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** Returns the circuit, for adapters of this module that add their own queries. */
    StoreCircuit circuit() {
        return circuit;
    }

    /** Flushes and stops the writers, stops probing and closes the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> started = new ArrayList<>(writers);
        for (AutoCloseable writer : started.reversed()) {
            try {
                writer.close();
            } catch (Exception e) {
                // Closing the rest matters more than one writer's failure.
            }
        }
        circuit.close();
        pool.close();
    }

    private <T extends AutoCloseable> T register(T writer) {
        if (closed) {
            try {
                writer.close();
            } catch (Exception e) {
                // It never wrote anything.
            }
            throw new IllegalStateException("the PostgreSQL stores are closed");
        }
        writers.add(writer);
        return writer;
    }

    private static HikariDataSource openPool(PostgresConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("sentinel-postgresql");
        hikari.setJdbcUrl(config.jdbcUrl());
        if (!config.user().isEmpty()) {
            hikari.setUsername(config.user());
        }
        if (!config.password().isEmpty()) {
            hikari.setPassword(config.password());
        }
        hikari.setSchema(config.schema());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        long connectionTimeout = config.connectionTimeout().toMillis();
        hikari.setConnectionTimeout(connectionTimeout);
        hikari.setValidationTimeout(Math.max(250, connectionTimeout / 2));
        hikari.setInitializationFailTimeout(connectionTimeout);
        hikari.setConnectionInitSql("SET statement_timeout = "
                + config.statementTimeout().toMillis());
        String socketSeconds = Long.toString(ceilSeconds(config.socketTimeout()));
        hikari.addDataSourceProperty("socketTimeout", socketSeconds);
        hikari.addDataSourceProperty("connectTimeout", socketSeconds);
        hikari.addDataSourceProperty("loginTimeout", socketSeconds);
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("ApplicationName", "sentinel");
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw failure("connect to", config, e);
        }
    }

    private static void migrate(PostgresConfig config, HikariDataSource pool) {
        try {
            Flyway.configure(PostgresStores.class.getClassLoader())
                    .dataSource(pool)
                    .schemas(config.schema())
                    .defaultSchema(config.schema())
                    .createSchemas(true)
                    .cleanDisabled(true)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw failure("migrate schema " + config.schema() + " of", config, e);
        }
    }

    private static SentinelException failure(String action, PostgresConfig config,
            RuntimeException e) {
        String message = "could not " + action + " PostgreSQL at "
                + PostgresConfig.mask(config.jdbcUrl())
                + (config.user().isEmpty() ? "" : " as " + config.user()) + ": "
                + StoreCircuit.describe(e);
        return PostgresFailures.isOutage(e)
                ? new StoreUnavailableException(message, e)
                : new SentinelException(message, e);
    }

    private static long ceilSeconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
