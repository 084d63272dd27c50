package dev.sentinel.app.websocket;

import dev.sentinel.app.http.Refusals;
import dev.sentinel.app.http.RequestIds;
import dev.sentinel.app.proxy.RequestScreen;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.websocket.WsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * WebSocket proxying for the public listener: handshakes pass the same
 * {@link RequestScreen} as plain requests before any upgrade, and accepted connections are
 * bridged frame by frame to New API.
 *
 * <p>The pieces a listener needs: {@link #connectionSelector} (HTTP/1.1 with Sentinel's
 * upgrader), {@link #protocolConfig} (Helidon's WebSocket connection reads it),
 * and {@link #handshakeFilter} for the listener's HTTP routing.
 *
 * <p>Thread-safe. {@link #close()} stops the client used towards New API.
 */
public final class WebSocketBridge implements AutoCloseable {

    private final ExecutorService executor;
    private final HttpClient client;
    private final BridgeLimits limits;
    private final BridgeUpgrader upgrader;
    private final HandshakeFilter filter;

    private WebSocketBridge(Builder builder) {
        this.limits = builder.limits;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // The JVM's default proxy selector would send New API's traffic elsewhere.
                .proxy(HttpClient.Builder.NO_PROXY)
                .executor(executor)
                .build();
        this.upgrader = new BridgeUpgrader(builder.servedBySentinel);
        this.filter = new HandshakeFilter(builder.screen, builder.refusals, builder.requestIds,
                new DownstreamDialer(client, builder.downstreamUrl, builder.handshakeTimeout),
                limits, builder.listener);
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the filter that checks handshakes; add it to the public listener's routing.
     *
     * @return the filter; it passes every other request on untouched
     */
    public Filter handshakeFilter() {
        return filter;
    }

    /**
     * Returns an HTTP/1.1 connection selector whose only upgrade is Sentinel's WebSocket
     * bridge; add it to the public listener ahead of the default ones.
     *
     * @param http1 the listener's HTTP/1.1 settings, the same object given to the listener
     * @return the selector
     */
    public ServerConnectionSelector connectionSelector(Http1Config http1) {
        return new EveryConnection(Http1ConnectionSelector.builder()
                .config(http1)
                .addUpgrader(upgrader)
                .build());
    }

    /**
     * Claims every connection for HTTP/1.1, the only protocol the public port speaks.
     * Helidon's selector claims only a first line ending in {@code HTTP/1.1} and CRLF; with
     * more than one selector on a listener, an HTTP/1.0 or bare-LF request then matched none
     * and was dropped without an answer. Claimed here, Helidon's parser answers it (505 for
     * HTTP/1.0, 400 otherwise).
     */
    private record EveryConnection(ServerConnectionSelector http1)
            implements ServerConnectionSelector {

        @Override
        public int bytesToIdentifyConnection() {
            return 0;
        }

        @Override
        public Support supports(BufferData data) {
            return Support.SUPPORTED;
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return http1.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            return http1.connection(ctx);
        }
    }

    /**
     * Returns the WebSocket protocol settings to add to the public listener: Helidon's
     * connection looks them up (largest frame a client may send).
     *
     * @return the settings
     */
    public WsConfig protocolConfig() {
        return WsConfig.builder()
                .maxFrameLength(limits.maxFrameBytes())
                .build();
    }

    /** Stops the client towards New API; call after the listener stopped. */
    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }

    /**
     * Builds a {@link WebSocketBridge}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {

        private RequestScreen screen;
        private Refusals refusals;
        private RequestIds requestIds;
        private URI downstreamUrl;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofMinutes(5);
        private BridgeListener listener = BridgeListener.NONE;
        private BridgeLimits limits = BridgeLimits.DEFAULT;
        private Predicate<String> servedBySentinel = path -> false;

        private Builder() {
        }

        /**
         * Sets the check every handshake passes.
         *
         * @param value the screen plain requests use too
         * @return this builder
         */
        public Builder screen(RequestScreen value) {
            this.screen = Objects.requireNonNull(value, "screen");
            return this;
        }

        /**
         * Sets how Sentinel's own refusals are written.
         *
         * @param value the refusal writer
         * @return this builder
         */
        public Builder refusals(Refusals value) {
            this.refusals = Objects.requireNonNull(value, "refusals");
            return this;
        }

        /**
         * Sets where request ids come from.
         *
         * @param value the id generator
         * @return this builder
         */
        public Builder requestIds(RequestIds value) {
            this.requestIds = Objects.requireNonNull(value, "requestIds");
            return this;
        }

        /**
         * Sets New API's base URL; {@code http} becomes {@code ws}, {@code https}
         * {@code wss}.
         *
         * @param value the URL
         * @return this builder
         */
        public Builder downstreamUrl(URI value) {
            this.downstreamUrl = Objects.requireNonNull(value, "downstreamUrl");
            return this;
        }

        /**
         * Sets the TCP connect timeout towards New API (default 5 s).
         *
         * @param value the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
            return this;
        }

        /**
         * Sets the longest wait for New API's answer to a handshake (default 5 min).
         *
         * @param value the timeout
         * @return this builder
         */
        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = Objects.requireNonNull(value, "handshakeTimeout");
            return this;
        }

        /**
         * Sets who hears about connections (default: nobody).
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(BridgeListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Sets the per-connection bounds (default {@link BridgeLimits#DEFAULT}).
         *
         * @param value the limits
         * @return this builder
         */
        public Builder limits(BridgeLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /**
         * Sets which decoded paths Sentinel answers itself; handshakes there are not
         * bridged (default: none).
         *
         * @param value the test
         * @return this builder
         */
        public Builder servedBySentinel(Predicate<String> value) {
            this.servedBySentinel = Objects.requireNonNull(value, "servedBySentinel");
            return this;
        }

        /**
         * Builds the bridge; it starts a client for New API.
         *
         * @return the bridge
         * @throws NullPointerException when the screen, refusals, request ids or URL are
         *         missing
         */
        public WebSocketBridge build() {
            Objects.requireNonNull(screen, "screen");
            Objects.requireNonNull(refusals, "refusals");
            Objects.requireNonNull(requestIds, "requestIds");
            Objects.requireNonNull(downstreamUrl, "downstreamUrl");
            return new WebSocketBridge(this);
        }
    }
}
