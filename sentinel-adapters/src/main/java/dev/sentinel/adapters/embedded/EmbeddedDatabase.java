package dev.sentinel.adapters.embedded;

import dev.sentinel.adapters.postgres.PostgresConfig;
import dev.sentinel.domain.SentinelException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PostgreSQL server run from the binaries bundled with Sentinel, listening on 127.0.0.1
 * only, with trust authentication for the {@code postgres} user. Its data lives in the
 * {@code postgresql} folder of a given directory and is kept: a later start on the same
 * directory finds every row again.
 *
 * <p>The server runs as a process of its own and would outlive the JVM, so a shutdown hook
 * stops it at exit. The hook first waits a few seconds for the owner's own shutdown to
 * close the stores (flushing what they buffer) and then this server; only if that does not
 * happen does it stop the server itself.
 *
 * <p>Thread-safe. {@link #close()} stops the server (fast shutdown) and keeps the data.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The folder, under the directory given to {@link #start}, that holds the data. */
    public static final String DATA_FOLDER = "postgresql";

    private static final System.Logger LOG = System.getLogger(EmbeddedDatabase.class.getName());
    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(15);
    private static final String LOCK_FILE = "embedded-postgresql.lock";

    private final EmbeddedPostgres server;
    private final FileChannel ownership;
    private final Path dataDirectory;
    private final int port;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread stopAtExit;

    private EmbeddedDatabase(EmbeddedPostgres server, Path dataDirectory, int port,
            FileChannel ownership) {
        this.server = server;
        this.ownership = ownership;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.stopAtExit = new Thread(this::stopAtExit, "sentinel-embedded-postgresql-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /**
     * Starts the server on a free port.
     *
     * @param directory where the {@value #DATA_FOLDER} data folder is kept
     * @return the running server
     * @throws SentinelException when it cannot start
     */
    public static EmbeddedDatabase start(Path directory) {
        return start(directory, 0);
    }

    /**
     * Starts the server, initialising the data folder when it holds no cluster yet.
     *
     * @param directory where the {@value #DATA_FOLDER} data folder is kept
     * @param port the port on 127.0.0.1, or 0 for a free one
     * @return the running server
     * @throws SentinelException when it cannot start
     */
    public static EmbeddedDatabase start(Path directory, int port) {
        Objects.requireNonNull(directory, "directory");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port
                    + " is out of range: expected 0 (any free port) to 65535");
        }
        Path dataDirectory = directory.toAbsolutePath().resolve(DATA_FOLDER);
        FileChannel ownership = own(directory.toAbsolutePath());
        reclaimFromOrphan(dataDirectory);
        try {
            Files.createDirectories(dataDirectory);
            int chosen = port == 0 ? freePort() : port;
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(chosen)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // The library starts the server with -F (fsync off) for tests; a later -c
                    // wins, and here the data must survive a crash or a power loss.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .start();
            return new EmbeddedDatabase(server, dataDirectory, chosen, ownership);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ownership);
            throw new SentinelException("could not start the embedded PostgreSQL with data in "
                    + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns how to connect to this server: user {@code postgres}, no password, database
     * {@code postgres}, schema {@value PostgresConfig#DEFAULT_SCHEMA}.
     */
    public PostgresConfig config() {
        return PostgresConfig.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE)
                .user(USER)
                .build();
    }

    /** Returns the port it listens on. */
    public int port() {
        return port;
    }

    /** Returns the data folder. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server; the data stays. Calling it again does nothing. */
    @Override
    public void close() {
        if (closing.getAndSet(true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL in "
                    + dataDirectory, e);
        } finally {
            closeQuietly(ownership);
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopAtExit);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook is running or about to, and finds it done.
            }
        }
    }

    private void stopAtExit() {
        try {
            stopped.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Takes the data folder for this process with an exclusive file lock, held until
     * {@link #close()}. The kernel releases it when the process dies, even by SIGKILL, so
     * holding it proves that no other live Sentinel uses the folder.
     */
    private static FileChannel own(Path directory) {
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw new IOException("locked by another process");
            }
            return channel;
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new SentinelException("the data folder " + directory + " is in use by "
                    + "another Sentinel (" + LOCK_FILE + " is locked): is one already running "
                    + "with the same DATA_DIR?", e);
        }
    }

    /**
     * A Sentinel killed without a chance to stop (SIGKILL, out of memory) leaves its
     * PostgreSQL running and holding the data folder; the next start would wait for a server
     * that can never come up. Called with the folder owned, so a server still running on it
     * is such an orphan: it is stopped.
     */
    private static void reclaimFromOrphan(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        long pid;
        try {
            if (!Files.isRegularFile(pidFile)) {
                return;
            }
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (IOException | RuntimeException e) {
            // Unreadable or stale: PostgreSQL itself checks it again at start.
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("")
                        .contains(dataDirectory.toString()));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "embedded database left running by a Sentinel "
                + "that did not stop, stopping it pid={0} data={1}", String.valueOf(pid),
                dataDirectory);
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            orphan.get().destroyForcibly();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Closing releases the lock; there is nothing else to do.
        }
    }
}
