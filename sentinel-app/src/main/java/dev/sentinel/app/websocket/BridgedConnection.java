package dev.sentinel.app.websocket;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.spi.ServerConnection;
import java.time.Duration;

/**
 * The client's upgraded connection: Helidon's WebSocket connection, plus the two things
 * Helidon 4.5 does not report to a listener. Its reader loop ends without a callback when
 * the client's socket closes, so the end of {@link #handle} tells the bridge; and it counts
 * only the client's frames as activity, so a client that only listens to a long answer
 * would look idle.
 *
 * <p>Thread-safe as far as the wrapped connection is.
 */
final class BridgedConnection implements ServerConnection {

    private final ServerConnection client;
    private final Bridge bridge;

    BridgedConnection(ServerConnection client, Bridge bridge) {
        this.client = client;
        this.bridge = bridge;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        bridge.attach(client);
        try {
            client.handle(limit);
        } finally {
            bridge.clientGone();
        }
    }

    @Override
    public Duration idleTime() {
        return bridge.idleTime(client.idleTime());
    }

    @Override
    public void close(boolean interrupt) {
        client.close(interrupt);
    }
}
