package dev.sentinel.app.websocket;

import dev.sentinel.domain.RefusalCode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens the WebSocket to New API with the JDK's client, which reports the sub-protocol New
 * API chose, hands back a refused handshake's status and body, and sends the
 * {@code Connection: Upgrade} that strict servers require.
 *
 * <p>Thread-safe; the JDK client is shared by every bridge.
 */
final class DownstreamDialer {

    private final HttpClient client;
    private final String base;
    private final Duration handshakeTimeout;

    /**
     * Creates the dialer.
     *
     * @param client the shared JDK client
     * @param downstreamUrl New API's base URL, {@code http} or {@code https}
     * @param handshakeTimeout the longest wait for New API's answer to a handshake
     */
    DownstreamDialer(HttpClient client, URI downstreamUrl, Duration handshakeTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        String scheme = downstreamUrl.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
        String path = downstreamUrl.getRawPath() == null ? "" : downstreamUrl.getRawPath();
        this.base = scheme + "://" + downstreamUrl.getRawAuthority()
                + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /**
     * Opens a WebSocket to New API and waits for its answer.
     *
     * @param rawPath the client's path, byte for byte, starting with {@code /}
     * @param rawQuery the client's query without {@code ?}, or empty
     * @param headers the headers to send, in order (names and values)
     * @param subprotocols the client's sub-protocol list, in order
     * @param listener receives New API's frames once the bridge asks for them
     * @return what happened
     */
    Dialed dial(String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
            List<String> subprotocols, WebSocket.Listener listener) {
        URI target;
        try {
            target = new URI(base + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery));
        } catch (URISyntaxException e) {
            return new Dialed.Unsendable("the request target cannot be sent on: "
                    + e.getReason());
        }

        CompletableFuture<WebSocket> opening;
        try {
            WebSocket.Builder builder = client.newWebSocketBuilder()
                    .connectTimeout(handshakeTimeout);
            for (Map.Entry<String, String> header : headers) {
                builder.header(header.getKey(), header.getValue());
            }
            if (!subprotocols.isEmpty()) {
                builder.subprotocols(subprotocols.get(0), subprotocols.subList(1,
                        subprotocols.size()).toArray(String[]::new));
            }
            opening = builder.buildAsync(target, listener);
        } catch (IllegalArgumentException e) {
            // The JDK refuses header values and sub-protocol names that are no tokens.
            return new Dialed.Unsendable(String.valueOf(e.getMessage()));
        }

        try {
            // The handshake timeout bounds this already; the margin only guards against a
            // future that never completes.
            return new Dialed.Connected(opening.get(handshakeTimeout.toMillis() + 5_000,
                    TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            return failed(e.getCause());
        } catch (TimeoutException e) {
            opening.cancel(true);
            return new Dialed.Failed(RefusalCode.DOWNSTREAM_TIMEOUT, "no handshake answer");
        } catch (InterruptedException e) {
            opening.cancel(true);
            Thread.currentThread().interrupt();
            return new Dialed.Failed(RefusalCode.DOWNSTREAM_UNREACHABLE, "interrupted");
        }
    }

    private static Dialed failed(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException refused) {
            HttpResponse<?> response = refused.getResponse();
            if (response.statusCode() != 101) {
                Object body = response.body();
                return new Dialed.Answered(response.statusCode(), response.headers(),
                        body instanceof String text ? text : "");
            }
            // A 101 whose headers do not complete a handshake is no usable answer.
            return new Dialed.Failed(RefusalCode.DOWNSTREAM_UNREACHABLE,
                    "invalid handshake answer: " + describe(refused.getCause()));
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new Dialed.Failed(RefusalCode.DOWNSTREAM_UNREACHABLE, describe(cause));
        }
        if (cause instanceof HttpTimeoutException) {
            return new Dialed.Failed(RefusalCode.DOWNSTREAM_TIMEOUT, describe(cause));
        }
        if (cause instanceof IOException) {
            return new Dialed.Failed(RefusalCode.DOWNSTREAM_UNREACHABLE, describe(cause));
        }
        return new Dialed.Failed(RefusalCode.DOWNSTREAM_UNREACHABLE, describe(cause));
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** What became of a handshake with New API. */
    sealed interface Dialed {

        /**
         * New API accepted; frames wait until the bridge asks for them.
         *
         * @param socket the open WebSocket
         */
        record Connected(WebSocket socket) implements Dialed {
        }

        /**
         * New API answered without upgrading (401 for an unknown key, 404, 429, …).
         *
         * @param status its status
         * @param headers its headers
         * @param body its body as text
         */
        record Answered(int status, HttpHeaders headers, String body) implements Dialed {
        }

        /**
         * No usable answer: unreachable, timed out, or a broken handshake.
         *
         * @param code 502 or 504
         * @param cause what happened, for the log
         */
        record Failed(RefusalCode code, String cause) implements Dialed {
        }

        /**
         * The client's request cannot be expressed to New API (a target or header value
         * the JDK's client refuses); nothing was sent.
         *
         * @param detail why
         */
        record Unsendable(String detail) implements Dialed {
        }
    }
}
