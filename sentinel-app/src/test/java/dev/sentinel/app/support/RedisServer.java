package dev.sentinel.app.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * A {@code redis-server} of the test's own on a free loopback port, that the test can kill
 * and start again on the same port, so that the machine's shared Redis is never touched.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /** Starts a server on a free port. */
    public static RedisServer start() throws IOException {
        int port = RestartablePorts.free();
        RedisServer server = new RedisServer(port, Files.createTempFile("redis-it-", ".log"));
        server.startAgain();
        return server;
    }

    /** Returns {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once (SIGKILL), as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port, empty, and waits until it answers. */
    public synchronized void startAgain() throws IOException {
        if (process != null) {
            throw new IllegalStateException("redis-server on " + port + " is running");
        }
        process = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1",
                "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
                "--daemonize", "no"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on " + port + " exited: "
                        + Files.readString(log));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server on " + port + " did not answer");
    }

    private boolean answers() {
        try (RedisClient client = RedisClient.create(URI.create(url()))) {
            return "PONG".equals(client.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        kill();
        Files.deleteIfExists(log);
    }
}
