package dev.sentinel.app.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a real store. Cutting it refuses new
 * connections and breaks the open ones, so the store seems to die while the machine's
 * shared server (which other tests use) keeps running; restoring it accepts again.
 */
public final class TcpRelay implements AutoCloseable {

    private static final int REBIND_ATTEMPTS = 100;

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean cut;

    private TcpRelay(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
        this.port = listener.getLocalPort();
        accept(listener);
    }

    /** Starts relaying a free loopback port to {@code host:port}. */
    public static TcpRelay start(String host, int port) throws IOException {
        return new TcpRelay(new InetSocketAddress(host, port),
                listen(RestartablePorts.free()));
    }

    /** Returns the port clients connect to. */
    public int port() {
        return port;
    }

    /** Refuses new connections and breaks every open one. */
    public synchronized void cut() {
        cut = true;
        close(listener);
        for (Socket socket : open) {
            close(socket);
        }
        open.clear();
    }

    /** Accepts connections on the same port again. */
    public synchronized void restore() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                listener = listen(port);
                break;
            } catch (BindException e) {
                // A socket of the last life may linger a moment on the port.
                if (attempt >= REBIND_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        cut = false;
        accept(listener);
    }

    @Override
    public void close() {
        cut();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        return socket;
    }

    private void accept(ServerSocket listening) {
        Thread.ofVirtual().name("test-relay-accept").start(() -> {
            while (!listening.isClosed()) {
                Socket client;
                try {
                    client = listening.accept();
                } catch (IOException e) {
                    return;
                }
                open.add(client);
                if (cut) {
                    close(client);
                    continue;
                }
                Socket upstream = new Socket();
                open.add(upstream);
                try {
                    upstream.connect(target, 2000);
                } catch (IOException e) {
                    close(client);
                    close(upstream);
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            }
        });
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().name("test-relay-pipe").start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // One side went away; both are closed below.
            } finally {
                close(from);
                close(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed.
        }
    }
}
