import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay for benchmarks that a script can cut and restore: while the file named by the
 * third argument exists, the relay refuses connections and has broken every open one, so a
 * store behind it seems dead while the real server keeps running. Run with the source
 * launcher: {@code java bench/Relay.java <listen port> <target port> <cut file>}.
 */
public final class Relay {

    private static final Set<Socket> OPEN = ConcurrentHashMap.newKeySet();

    private Relay() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int target = Integer.parseInt(args[1]);
        Path cutFile = Path.of(args[2]);
        ServerSocket listener = null;
        System.out.println("relay 127.0.0.1:" + port + " -> 127.0.0.1:" + target);
        while (true) {
            boolean cut = Files.exists(cutFile);
            if (cut && listener != null) {
                listener.close();
                listener = null;
                for (Socket socket : OPEN) {
                    close(socket);
                }
                OPEN.clear();
            } else if (!cut && listener == null) {
                listener = listen(port);
                accept(listener, target);
            }
            Thread.sleep(20);
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        return socket;
    }

    private static void accept(ServerSocket listening, int target) {
        Thread.ofVirtual().start(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket("127.0.0.1", target);
                    OPEN.add(client);
                    OPEN.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
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
                OPEN.remove(from);
                OPEN.remove(to);
            }
        });
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
