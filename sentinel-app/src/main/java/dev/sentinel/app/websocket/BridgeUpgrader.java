package dev.sentinel.app.websocket;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrade;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrader;
import io.helidon.webserver.spi.ServerConnection;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Takes WebSocket handshakes on proxied paths out of Helidon's connection loop, as a
 * routed upgrade: Helidon then runs the HTTP routing's filters, where
 * {@link HandshakeFilter} checks the key and answers a refusal as a normal JSON response,
 * before {@link Handshake#upgrade} switches protocols.
 *
 * <p>Helidon's own upgrader is not used: it compares {@code Origin} with {@code Host} and
 * refuses cross-origin browsers, which New API accepts, and its connection reports neither
 * a client that went away nor a client that only listens.
 *
 * <p>Thread-safe. The handshake it prepares is handed to the filter through a
 * thread-local: Helidon calls both on the connection's thread, one request at a time.
 */
final class BridgeUpgrader implements Http1RoutedUpgrader {

    private static final ThreadLocal<Handshake> PREPARED = new ThreadLocal<>();
    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName VERSION = HeaderNames.create("Sec-WebSocket-Version");
    private static final String SUPPORTED_VERSION = "13";

    private final Predicate<String> servedBySentinel;

    /**
     * Creates the upgrader.
     *
     * @param servedBySentinel whether a decoded path is one Sentinel answers itself; a
     *         handshake there is routed as a plain request
     */
    BridgeUpgrader(Predicate<String> servedBySentinel) {
        this.servedBySentinel = servedBySentinel;
    }

    @Override
    public String supportedProtocol() {
        return "websocket";
    }

    /** Not called for a routed upgrader; {@code null} would route the request as HTTP. */
    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue,
            WritableHeaders<?> headers) {
        return null;
    }

    @Override
    public Optional<Http1RoutedUpgrade> routedUpgrade(ConnectionContext ctx,
            HttpPrologue prologue, WritableHeaders<?> headers) {
        PREPARED.remove();

        // Sentinel's own routes answer as for any request; the Upgrade header is ignored.
        if (servedBySentinel.test(prologue.uriPath().path())) {
            return Optional.empty();
        }
        // Without Connection: Upgrade it is no handshake (RFC 6455 section 4.2.1).
        if (!connectionNamesUpgrade(headers)) {
            return Optional.empty();
        }
        if (prologue.method() != Method.GET) {
            throw badHandshake(Status.BAD_REQUEST_400, "a WebSocket handshake must use GET");
        }
        String key = headers.first(KEY).orElse("");
        if (!isNonce(key)) {
            throw badHandshake(Status.BAD_REQUEST_400,
                    "Sec-WebSocket-Key must hold 16 bytes in base64");
        }
        String version = headers.first(VERSION).orElse("");
        if (!version.equals(SUPPORTED_VERSION)) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .status(Status.UPGRADE_REQUIRED_426)
                    .message("unsupported Sec-WebSocket-Version")
                    .header(HeaderValues.create(VERSION, SUPPORTED_VERSION))
                    .build();
        }

        Handshake handshake = new Handshake(ctx, prologue, key);
        PREPARED.set(handshake);
        return Optional.of(handshake);
    }

    /**
     * Returns the handshake prepared for this request, once: the filter's sign that the
     * request is a WebSocket handshake Helidon will upgrade if the filter lets it through.
     *
     * @param request a request being filtered
     * @return the prepared handshake, or empty for any other request
     */
    static Optional<Handshake> claim(ServerRequest request) {
        Handshake handshake = PREPARED.get();
        if (handshake == null) {
            return Optional.empty();
        }
        PREPARED.remove();
        // Identity, not equality: a stale handshake left by a failed upgrade is no match.
        return handshake.prologue() == request.prologue()
                ? Optional.of(handshake)
                : Optional.empty();
    }

    private static boolean connectionNamesUpgrade(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return false;
        }
        for (String line : headers.get(HeaderNames.CONNECTION).allValues()) {
            for (String token : line.split(",")) {
                if (token.strip().toLowerCase(Locale.ROOT).equals("upgrade")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isNonce(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static RequestException badHandshake(Status status, String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(status)
                .message(message)
                .build();
    }
}
