package dev.sentinel.app.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose first request head (request line and headers) has not arrived
 * within a deadline of the connection being accepted.
 *
 * <p>Helidon 4.5 has no such timeout: a client that connects and sends nothing, or sends
 * its headers a byte at a time, holds a socket and a thread for as long as it likes, and
 * enough of them exhaust the process's file descriptors. Helidon reports when a head has
 * been read, but not when the next one starts, so only the first request of a connection
 * is timed; later requests on a kept-alive connection are not (README, Limits).
 *
 * <p>Install {@link #guard} around the listener's HTTP/1.1 connection selector and the
 * deadline as a receive listener of the same HTTP/1.1 configuration. Thread-safe.
 */
public final class HeadDeadline implements Http1ConnectionListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HeadDeadline.class.getName());
    private static final int LINES_PER_MINUTE = 5;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final Duration limit;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<ConnectionContext, ScheduledFuture<?>> waiting = new ConcurrentHashMap<>();
    // Read and written by the timer thread only: a slowloris must not flood the log.
    private long minuteStarted = System.nanoTime();
    private int closedThisMinute;

    /**
     * Creates the deadline and its timer thread.
     *
     * @param limit how long a connection may take to send its first request head
     */
    public HeadDeadline(Duration limit) {
        this.limit = limit;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sentinel-head-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // A head that arrives in time cancels its task; keep the queue to the waiting ones.
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Returns a selector that creates the same connections and starts each one's deadline.
     *
     * @param selector the listener's HTTP/1.1 connection selector
     * @return the guarded selector
     */
    public ServerConnectionSelector guard(ServerConnectionSelector selector) {
        return new Guarded(selector);
    }

    /** Returns the number of connections still waiting for their first head. */
    public int waiting() {
        return waiting.size();
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        ScheduledFuture<?> deadline = waiting.remove(ctx);
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void start(ConnectionContext ctx, ServerConnection connection) {
        waiting.put(ctx, timer.schedule(() -> expire(ctx, connection), limit.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    private void expire(ConnectionContext ctx, ServerConnection connection) {
        if (waiting.remove(ctx) == null) {
            return;
        }
        logClosed(ctx);
        // Interrupting stops the read the connection's thread is blocked in; the thread
        // then closes the socket. A connection that already ended is not affected.
        connection.close(true);
    }

    private void logClosed(ConnectionContext ctx) {
        long now = System.nanoTime();
        if (now - minuteStarted >= MINUTE_NANOS) {
            if (closedThisMinute > LINES_PER_MINUTE) {
                LOG.log(Level.INFO, "log lines suppressed event=request_head_timeout count={0}",
                        String.valueOf(closedThisMinute - LINES_PER_MINUTE));
            }
            minuteStarted = now;
            closedThisMinute = 0;
        }
        if (++closedThisMinute <= LINES_PER_MINUTE) {
            LOG.log(Level.INFO, "connection closed reason=request_head_timeout peer={0} "
                    + "seconds={1}", ctx.remotePeer().host(), String.valueOf(limit.toSeconds()));
        }
    }

    private final class Guarded implements ServerConnectionSelector {

        private final ServerConnectionSelector selector;

        Guarded(ServerConnectionSelector selector) {
            this.selector = selector;
        }

        @Override
        public int bytesToIdentifyConnection() {
            return selector.bytesToIdentifyConnection();
        }

        @Override
        public Support supports(BufferData data) {
            return selector.supports(data);
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return selector.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            ServerConnection connection = selector.connection(ctx);
            start(ctx, connection);
            return connection;
        }
    }
}
