package dev.sentinel.app.proxy;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import java.net.URI;
import java.time.Duration;

/**
 * The transport settings of the proxy path in one place: how the public listener accepts
 * and writes, and how New API is dialled. Sentinel and the benchmark's bare proxy both take
 * them from here, so a benchmark compares key logic, not settings.
 *
 * <p>Stateless.
 */
public final class ProxyTransport {

    private ProxyTransport() {
    }

    /**
     * Applies the listener settings of the public port.
     *
     * @param server the server builder
     * @param maxPayloadBytes the largest request body
     * @return the same builder
     */
    public static WebServerConfig.Builder listener(WebServerConfig.Builder server,
            long maxPayloadBytes) {
        return server
                .maxPayloadSize(maxPayloadBytes)
                // Small writes of a stream must not wait for an acknowledgement (Nagle).
                .connectionOptions(options -> options.tcpNoDelay(true))
                // No buffer of the listener's own between a response and its socket: the relay
                // flushes every read it writes, so a buffer only added a copy, and Helidon
                // allocated its 4 KiB for every response. Other routes send whole bodies or,
                // like the CSV export, write through a buffer of their own.
                .writeBufferSize(0)
                // Streams may run for minutes; give them time to finish on shutdown.
                .shutdownGracePeriod(Duration.ofSeconds(10));
    }

    /**
     * Returns the client that talks to New API.
     *
     * @param downstreamUrl New API's base URL
     * @param connectTimeout how long a connect may take
     * @param idleTimeout the longest silence tolerated from New API
     * @return the client
     */
    public static Http1Client downstreamClient(URI downstreamUrl, Duration connectTimeout,
            Duration idleTimeout) {
        return downstreamWebClient(downstreamUrl, connectTimeout, idleTimeout)
                .client(Http1Client.PROTOCOL);
    }

    /**
     * Returns the client that talks to New API, as the web client its connections are made
     * from.
     *
     * @param downstreamUrl New API's base URL
     * @param connectTimeout how long a connect may take
     * @param idleTimeout the longest silence tolerated from New API
     * @return the client
     */
    public static WebClient downstreamWebClient(URI downstreamUrl, Duration connectTimeout,
            Duration idleTimeout) {
        return WebClient.builder()
                .baseUri(downstreamUrl)
                // The default proxy is the JVM's system proxy, which would add headers.
                .proxy(Proxy.noProxy())
                .followRedirects(false)
                .sendExpectContinue(false)
                .connectTimeout(connectTimeout)
                .readTimeout(idleTimeout)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(connectTimeout)
                        .readTimeout(idleTimeout)
                        .tcpNoDelay(true)
                        .build())
                .shareConnectionCache(false)
                .servicesDiscoverServices(false)
                .build();
    }
}
