package dev.sentinel.app.proxy;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectedSocketChannelInfo;
import io.helidon.webclient.api.ConnectedSocketInfo;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.ConnectionListener;
import io.helidon.webclient.api.HttpClientConfig;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keep-alive connections to New API, held by Sentinel rather than by Helidon's client, and
 * the watch over the exchanges on them.
 *
 * <p>Held here, not in Helidon's pool, for three reasons:
 * <ul>
 *   <li>Helidon 4.5's client neither closes nor pools a connection whose request body
 *       handler threw: the socket stays open, and New API keeps waiting for the rest of a
 *       body that will never come. Handing the client an explicit connection per request
 *       lets the proxy close it.</li>
 *   <li>Helidon's pool starts a watcher thread for every connection it takes back, which
 *       reads with a timeout, and reads from New API carry the idle timeout: two timed
 *       parks per request, each waking the JDK's timer thread. Here reads are untimed, one
 *       watch thread closes the connection of an exchange New API left silent for too
 *       long ({@link DownstreamExchange}), and an idle connection is not watched.</li>
 *   <li>Unwatched, an idle connection may have been closed by New API without notice. It
 *       is reused only within {@link #REUSE_WITHIN} of its last answer, shorter than any
 *       common keep-alive timeout; older ones are closed and a new one dialled. One that
 *       breaks before its answer all the same shortens that time
 *       ({@link #brokeBeforeAnswer}).</li>
 *   <li>A connection that holds bytes beyond the end of an answer is never reused: they
 *       would be read as the next request's answer, and hand one client's answer to
 *       another. Helidon's client pools such a connection (New API sending more than its
 *       {@code Content-Length}, trailers it does not announce, or anything at all while the
 *       connection is idle); here it is closed when released or taken.</li>
 * </ul>
 * A connection goes back to the pool only through the client's normal end of an exchange
 * (the whole answer read, or an empty one), exactly as Helidon's own pool would take it.
 *
 * <p>Thread-safe.
 */
public final class DownstreamConnections implements AutoCloseable {

    /** How long after its last answer an idle connection is reused, at first. */
    static final Duration REUSE_WITHIN = Duration.ofSeconds(1);

    /** The shortest that time becomes when New API closes idle connections sooner. */
    static final Duration SHORTEST_REUSE = Duration.ofMillis(100);

    private static final System.Logger LOG =
            System.getLogger(DownstreamConnections.class.getName());

    private static final List<String> HTTP1 = List.of("http/1.1");

    private final WebClient client;
    private final ConnectionKey key;
    // The TCP socket under each open connection, to see bytes waiting on it: Helidon's
    // connection shows only what it has read. Handed over by the dialling thread.
    private final Map<ClientConnection, Socket> sockets = new ConcurrentHashMap<>();
    private final ThreadLocal<Socket> dialled = new ThreadLocal<>();
    private final LinkedBlockingDeque<Idle> idle;
    private final Set<DownstreamExchange> inFlight = ConcurrentHashMap.newKeySet();
    private final long silenceNanos;
    private final long watchPeriodNanos;
    private final Thread watch;
    private volatile long reuseWithinNanos = REUSE_WITHIN.toNanos();
    private volatile boolean closed;

    /**
     * Creates an empty pool and starts its watch.
     *
     * @param downstreamUrl New API's base URL
     * @param client the client whose socket options, TLS and resolver connections use
     * @param maxIdle the most idle connections kept; more are closed when released
     * @param silenceLimit the longest New API may stay silent during an exchange
     */
    public DownstreamConnections(URI downstreamUrl, WebClient client, int maxIdle,
            Duration silenceLimit) {
        HttpClientConfig config = client.prototype();
        boolean https = downstreamUrl.getScheme().equalsIgnoreCase("https");
        int port = downstreamUrl.getPort() >= 0 ? downstreamUrl.getPort() : https ? 443 : 80;
        this.client = WebClient.builder()
                .from(client.prototype())
                .connectionListener(new SocketListener())
                .build();
        this.key = ConnectionKey.create(downstreamUrl.getScheme(), downstreamUrl.getHost(), port,
                https ? config.tls() : Tls.builder().enabled(false).build(),
                config.dnsResolver(), config.dnsAddressLookup(), Proxy.noProxy());
        this.idle = new LinkedBlockingDeque<>(maxIdle);
        this.silenceNanos = silenceLimit.toNanos();
        // A silent exchange is cut within a twentieth of the limit after it, at most 1 s.
        this.watchPeriodNanos = Math.clamp(silenceNanos / 20, TimeUnit.MILLISECONDS.toNanos(50),
                TimeUnit.SECONDS.toNanos(1));
        this.watch = Thread.ofPlatform().daemon().name("sentinel-downstream-watch")
                .start(this::watch);
    }

    /**
     * Starts an exchange on the most recently released connection that is still fresh,
     * or on a new one.
     *
     * @return the exchange; the client releases or closes its connection, the caller
     *     closes the exchange
     * @throws java.io.UncheckedIOException when New API cannot be reached
     */
    DownstreamExchange open() {
        long now = System.nanoTime();
        long reuseWithin = reuseWithinNanos;
        Idle kept;
        while ((kept = idle.pollFirst()) != null) {
            ClientConnection connection = kept.connection();
            long idleNanos = now - kept.since();
            if (connection.isConnected() && idleNanos < reuseWithin
                    && !bytesWaiting(connection)) {
                return watched(new DownstreamExchange(connection, idleNanos, this));
            }
            connection.closeResource();
        }
        return watched(new DownstreamExchange(dial(), DownstreamExchange.NEW_CONNECTION, this));
    }

    /**
     * Learns from a reused connection that broke before its answer: New API (or a proxy in
     * front of it) closes idle connections sooner than they were reused. From now on they
     * are reused only within half the idle time that failed, never less than
     * {@link #SHORTEST_REUSE}, so one failure does not turn into every other request
     * failing. A restart of New API teaches the same, which costs only dialling sooner.
     *
     * @param exchange the exchange whose connection broke
     */
    void brokeBeforeAnswer(DownstreamExchange exchange) {
        long idleNanos = exchange.idleNanos();
        if (idleNanos == DownstreamExchange.NEW_CONNECTION || exchange.silenced()) {
            return;
        }
        long shorter = Math.max(SHORTEST_REUSE.toNanos(), idleNanos / 2);
        if (shorter < reuseWithinNanos) {
            reuseWithinNanos = shorter;
            LOG.log(Level.INFO, "downstream connection closed while idle idleMillis={0} "
                    + "reuseWithinMillis={1}", String.valueOf(idleNanos / 1_000_000),
                    String.valueOf(shorter / 1_000_000));
        }
    }

    /** Returns the longest New API may stay silent during an exchange. */
    public Duration silenceLimit() {
        return Duration.ofNanos(silenceNanos);
    }

    /** Returns the number of idle connections kept now. */
    public int idleCount() {
        return idle.size();
    }

    /** Closes every idle connection and stops the watch; connections in use close later. */
    @Override
    public void close() {
        closed = true;
        watch.interrupt();
        Idle connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.connection().closeResource();
        }
    }

    void finished(DownstreamExchange exchange) {
        inFlight.remove(exchange);
    }

    private DownstreamExchange watched(DownstreamExchange exchange) {
        inFlight.add(exchange);
        return exchange;
    }

    private ClientConnection dial() {
        try {
            TcpClientConnection connection = TcpClientConnection.create(client, key, HTTP1,
                    this::release, gone -> sockets.remove(gone)).connect();
            Socket socket = dialled.get();
            if (socket != null) {
                sockets.put(connection, socket);
            }
            return connection;
        } finally {
            dialled.remove();
        }
    }

    /** Called by the client after a clean exchange; {@code false} makes it close instead. */
    private boolean release(TcpClientConnection connection) {
        // Bytes already read past the answer's end: New API framed its answer wrongly.
        if (closed || !connection.isConnected() || connection.reader().available() > 0) {
            return false;
        }
        return idle.offerFirst(new Idle(connection, System.nanoTime()));
    }

    /** Returns whether anything arrived on an idle connection, where nothing should. */
    private boolean bytesWaiting(ClientConnection connection) {
        // What Helidon's reader held was checked on release; it reads nothing while idle.
        Socket socket = sockets.get(connection);
        try {
            return socket == null || socket.getInputStream().available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(watchPeriodNanos);
            long now = System.nanoTime();
            for (DownstreamExchange exchange : inFlight) {
                exchange.silenceIfWaitedSince(now, silenceNanos);
            }
            closeStale(now);
        }
    }

    /** Closes idle connections too old to reuse; the oldest are at the end. */
    private void closeStale(long now) {
        Idle oldest;
        while ((oldest = idle.peekLast()) != null
                && now - oldest.since() >= reuseWithinNanos) {
            if (idle.removeLastOccurrence(oldest)) {
                oldest.connection().closeResource();
            }
        }
    }

    /** Hands the socket of a connection being dialled to the dialling thread. */
    private final class SocketListener implements ConnectionListener {
        @Override
        public void socketConnected(ConnectedSocketInfo socketInfo) {
            dialled.set(socketInfo.socket());
        }

        @Override
        public void socketChannelConnected(ConnectedSocketChannelInfo channelInfo) {
            // Connections here are dialled as sockets, never as channels.
        }
    }

    /** A connection in the pool and when it was released. */
    private record Idle(ClientConnection connection, long since) {
    }
}
