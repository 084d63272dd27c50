package dev.sentinel.app.proxy;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.HttpClientConfig;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Keep-alive connections to New API, held by Sentinel rather than by Helidon's client, so
 * that a request that breaks off half-sent can close the connection it used.
 *
 * <p>Helidon 4.5's client neither closes nor pools a connection whose request body handler
 * threw: the socket stays open, and New API keeps waiting for the rest of a body that will
 * never come. Handing the client an explicit connection per request lets the proxy close it.
 * A connection goes back to the pool only through the client's normal end of an exchange
 * (the whole answer read, or an empty one), exactly as Helidon's own pool would take it.
 *
 * <p>Thread-safe.
 */
public final class DownstreamConnections implements AutoCloseable {

    private static final List<String> HTTP1 = List.of("http/1.1");

    private final WebClient client;
    private final ConnectionKey key;
    private final LinkedBlockingDeque<ClientConnection> idle;
    private volatile boolean closed;

    /**
     * Creates an empty pool.
     *
     * @param downstreamUrl New API's base URL
     * @param client the client whose socket options, TLS and resolver connections use
     * @param maxIdle the most idle connections kept; more are closed when released
     */
    public DownstreamConnections(URI downstreamUrl, WebClient client, int maxIdle) {
        HttpClientConfig config = client.prototype();
        boolean https = downstreamUrl.getScheme().equalsIgnoreCase("https");
        int port = downstreamUrl.getPort() >= 0 ? downstreamUrl.getPort() : https ? 443 : 80;
        this.client = client;
        this.key = ConnectionKey.create(downstreamUrl.getScheme(), downstreamUrl.getHost(), port,
                https ? config.tls() : Tls.builder().enabled(false).build(),
                config.dnsResolver(), config.dnsAddressLookup(), Proxy.noProxy());
        this.idle = new LinkedBlockingDeque<>(maxIdle);
    }

    /**
     * Returns the most recently released connection that is still open, or a new one.
     *
     * @return a connection for one exchange; the client releases or closes it
     * @throws java.io.UncheckedIOException when New API cannot be reached
     */
    public ClientConnection take() {
        ClientConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (connection.isConnected()) {
                return connection;
            }
            connection.closeResource();
        }
        return TcpClientConnection.create(client, key, HTTP1, this::release, gone -> { })
                .connect();
    }

    /** Returns the number of idle connections kept now. */
    public int idleCount() {
        return idle.size();
    }

    /** Called by the client after a clean exchange; {@code false} makes it close instead. */
    private boolean release(TcpClientConnection connection) {
        if (closed || !connection.isConnected()) {
            return false;
        }
        // Idle mode watches for New API closing the connection while it sits in the pool.
        connection.helidonSocket().idle();
        return idle.offerFirst(connection);
    }

    /** Closes every idle connection; connections in use are closed when released. */
    @Override
    public void close() {
        closed = true;
        ClientConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.closeResource();
        }
    }
}
