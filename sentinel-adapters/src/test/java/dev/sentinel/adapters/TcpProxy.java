package dev.sentinel.adapters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP forwarder on a loopback port that a test can cut and restore, so that a real store
 * behind it appears to go down and come back while other tests keep using it.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int LOWEST_PORT = 20_000;
    private static final int HIGHEST_PORT = 32_000;
    private static final int REBIND_ATTEMPTS = 100;

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile long replyDelayNanos;

    private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = server;
        this.port = server.getLocalPort();
        acceptIn(server);
    }

    /**
     * Starts forwarding a free loopback port to {@code targetHost:targetPort}. The port lies
     * below the kernel's ephemeral range (32768-60999 on Linux): a port from that range can be
     * handed to some outgoing connection while the proxy is cut, and restoring it then fails
     * with "address in use".
     */
    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
            try {
                return new TcpProxy(targetHost, targetPort, listen(port));
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no free port between " + LOWEST_PORT + " and " + HIGHEST_PORT);
    }

    /** Returns the port clients connect to. */
    public int port() {
        return port;
    }

    /** Refuses new connections and breaks every open one. */
    public void cut() {
        closeQuietly(server);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /**
     * Holds back every reply from the target for {@code delay} before passing it on, as a
     * saturated client process or a hung server would; {@link Duration#ZERO} passes replies
     * at once again.
     */
    public void delayReplies(Duration delay) {
        replyDelayNanos = delay.toNanos();
    }

    /** Accepts connections on the same port again. */
    public void restore() throws IOException {
        ServerSocket reopened = null;
        for (int attempt = 1; reopened == null; attempt++) {
            try {
                reopened = listen(port);
            } catch (BindException e) {
                // A socket of the last life may linger a moment on the port.
                if (attempt >= REBIND_ATTEMPTS) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        server = reopened;
        acceptIn(reopened);
    }

    @Override
    public void close() {
        cut();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
    }

    private void acceptIn(ServerSocket listening) {
        Thread.ofVirtual().name("test-proxy-accept").start(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    pipe(client, upstream, false);
                    pipe(upstream, client, true);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void pipe(Socket from, Socket to, boolean replies) {
        Thread.ofVirtual().name("test-proxy-pipe").start(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (replies && replyDelayNanos > 0) {
                        TimeUnit.NANOSECONDS.sleep(replyDelayNanos);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // One side went away; the other is closed below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed.
        }
    }
}
