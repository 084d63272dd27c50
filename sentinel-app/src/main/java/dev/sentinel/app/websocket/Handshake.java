package dev.sentinel.app.websocket;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrade;
import io.helidon.webserver.http1.spi.Http1UpgradeResponse;
import io.helidon.webserver.http1.spi.Http1UpgradeResult;
import io.helidon.webserver.websocket.WsConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * A client's WebSocket handshake that Helidon will complete once the routing's filters
 * let it through. {@link HandshakeFilter} admits it with a bridge whose New API side is
 * already open; only then does {@link #upgrade} send {@code 101 Switching Protocols}.
 *
 * <p>Thread-safe: admitted on the connection's thread, read there too.
 */
final class Handshake implements Http1RoutedUpgrade {

    private static final HeaderName ACCEPT = HeaderNames.create("Sec-WebSocket-Accept");
    private static final HeaderName PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
            .getBytes(StandardCharsets.US_ASCII);

    private final ConnectionContext ctx;
    private final HttpPrologue prologue;
    private final String key;
    private volatile Bridge bridge;
    private volatile String subprotocol = "";
    private volatile boolean upgraded;

    Handshake(ConnectionContext ctx, HttpPrologue prologue, String key) {
        this.ctx = ctx;
        this.prologue = prologue;
        this.key = key;
    }

    /** Returns the request line this handshake belongs to. */
    HttpPrologue prologue() {
        return prologue;
    }

    /**
     * Lets the handshake complete.
     *
     * @param admitted the bridge, its New API side open
     * @param chosen the sub-protocol New API chose, or empty for none
     */
    void admit(Bridge admitted, String chosen) {
        this.subprotocol = Objects.requireNonNull(chosen, "chosen");
        this.bridge = Objects.requireNonNull(admitted, "admitted");
    }

    /** Returns whether {@code 101} was sent and the bridge owns the connection. */
    boolean upgraded() {
        return upgraded;
    }

    @Override
    public Http1UpgradeResult upgrade(Http1UpgradeResponse response, Headers requestHeaders) {
        Bridge admitted = bridge;
        if (admitted == null) {
            // Only reachable if the filter did not run: never upgrade unchecked.
            response.send(Status.INTERNAL_SERVER_ERROR_500);
            return Http1UpgradeResult.responded();
        }

        WritableHeaders<?> switching = WritableHeaders.create();
        switching.set(HeaderNames.UPGRADE, "websocket");
        switching.set(HeaderNames.CONNECTION, "Upgrade");
        switching.set(ACCEPT, accept(key));
        if (!subprotocol.isEmpty()) {
            switching.set(PROTOCOL, subprotocol);
        }
        WsConnection connection = WsConnection.create(ctx, prologue, switching, key,
                admitted.clientListener());
        response.sendSwitchingProtocols(switching);
        upgraded = true;
        return Http1UpgradeResult.upgraded(new BridgedConnection(connection, admitted));
    }

    private static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key.getBytes(StandardCharsets.US_ASCII));
            sha1.update(GUID);
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
