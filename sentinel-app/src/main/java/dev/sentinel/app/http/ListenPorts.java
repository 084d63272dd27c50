package dev.sentinel.app.http;

import dev.sentinel.domain.SentinelException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks that a configured port can be listened on before the web server starts.
 *
 * <p>Helidon logs a listener that cannot bind with a stack trace, carries on without it and
 * then reports every listener as failed, so the variable to fix cannot be told from its
 * answer. Trying each port first names the one that is taken. Stateless.
 */
public final class ListenPorts {

    private ListenPorts() {
    }

    /**
     * Fails when the port cannot be listened on now. Port 0 (any free port) always can.
     *
     * @param host the address to listen on
     * @param port the configured port
     * @param variable the setting the port came from, named in the failure
     * @throws SentinelException when another process holds the port or the address is not
     *         this machine's
     */
    public static void requireFree(String host, int port, String variable) {
        if (port == 0) {
            return;
        }

        // The same reuse rule as the server's own listener, so a port in TIME_WAIT is free.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new SentinelException("cannot listen on " + host + " port " + port + " ("
                    + variable + "): is another process using it?");
        }
    }
}
