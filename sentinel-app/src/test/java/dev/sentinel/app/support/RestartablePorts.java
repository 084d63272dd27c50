package dev.sentinel.app.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers a test stops and starts again on the same port. A port
 * from the kernel's ephemeral range (32768-60999 on Linux) can be handed to an outgoing
 * connection while its server is down, and the restart then fails with "address in use";
 * ports below that range are never given out as source ports.
 */
public final class RestartablePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;

    private RestartablePorts() {
    }

    /** Returns a loopback port below the ephemeral range that is free right now. */
    public static int free() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no free port between " + LOWEST + " and " + HIGHEST);
    }
}
