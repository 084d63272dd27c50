import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A stand-in for New API for benchmarks: answers every request at once with a small JSON
 * model list, so that the latency measured is Sentinel's. Run with the source launcher:
 * {@code java bench/Downstream.java <port>}.
 */
public final class Downstream {

    private static final byte[] BODY = ("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\","
            + "\"object\":\"model\",\"owned_by\":\"openai\"}]}").getBytes(StandardCharsets.UTF_8);

    private Downstream() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, BODY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(BODY);
                }
            }
        });
        server.start();
        System.out.println("downstream listening on 127.0.0.1:" + port);
    }
}
