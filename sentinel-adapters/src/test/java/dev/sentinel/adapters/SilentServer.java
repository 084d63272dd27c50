package dev.sentinel.adapters;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A loopback port that accepts connections and never answers: a hung server. */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> accepted = ConcurrentHashMap.newKeySet();

    private SilentServer(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("test-silent-server").start(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Starts listening on a free loopback port. */
    public static SilentServer start() throws IOException {
        return new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    /** Returns the port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Returns a loopback port with nothing listening on it (at the time of the call). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
