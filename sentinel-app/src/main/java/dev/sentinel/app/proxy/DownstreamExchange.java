package dev.sentinel.app.proxy;

import io.helidon.webclient.api.ClientConnection;

/**
 * One request to New API and its answer, on a connection of {@link DownstreamConnections},
 * watched for New API's silence: the proxy says when it starts waiting for New API and when
 * New API was heard, and the connections' watch closes the connection of an exchange that
 * waited longer than the idle timeout.
 *
 * <p>Reads from New API carry no socket timeout of their own: a timed read of a virtual
 * thread costs a wake-up of the JDK's timer thread for every read, a fifth of the proxy's
 * CPU on the warm path. Writing to the client and reading the client's upload are not
 * waiting: a slow client is not New API's silence.
 *
 * <p>Thread-safe: the proxy's thread marks it, the watch reads it.
 */
final class DownstreamExchange implements AutoCloseable {

    /** The idle time of a connection dialled for the exchange. */
    static final long NEW_CONNECTION = -1;

    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final ClientConnection connection;
    private final long idleNanos;
    private final DownstreamConnections owner;
    private volatile long waitingSince = NOT_WAITING;
    private volatile boolean silenced;

    DownstreamExchange(ClientConnection connection, long idleNanos,
            DownstreamConnections owner) {
        this.connection = connection;
        this.idleNanos = idleNanos;
        this.owner = owner;
    }

    /** Returns the connection the exchange uses. */
    ClientConnection connection() {
        return connection;
    }

    /** Returns how long the connection was idle before, or {@link #NEW_CONNECTION}. */
    long idleNanos() {
        return idleNanos;
    }

    /** Marks the start of a wait for New API: the request is sent, or a read begins. */
    void awaitingDownstream() {
        waitingSince = System.nanoTime();
    }

    /** Marks the end of a wait: New API answered, or the read returned. */
    void heard() {
        waitingSince = NOT_WAITING;
    }

    /** Returns whether the watch closed the connection because New API stayed silent. */
    boolean silenced() {
        return silenced;
    }

    /** Closes the connection if the exchange has waited at least {@code limitNanos}. */
    void silenceIfWaitedSince(long now, long limitNanos) {
        long since = waitingSince;
        if (since != NOT_WAITING && now - since >= limitNanos) {
            silenced = true;
            // The blocked read fails at once; the proxy then sees silenced() and answers 504
            // or ends the stream.
            connection.closeResource();
        }
    }

    /** Closes the connection, which must not be reused, and stops watching the exchange. */
    void abandon() {
        connection.closeResource();
        close();
    }

    /** Stops watching the exchange; the connection itself is released or closed by then. */
    @Override
    public void close() {
        owner.finished(this);
    }
}
