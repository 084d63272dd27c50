package dev.sentinel.app.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server standing in for a chat tool's incoming webhook: it keeps every body it
 * receives and answers from a script of statuses, then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();

    private final String token = "hook-" + UUID.randomUUID().toString().replace("-", "");

    private WebhookReceiver(HttpServer server) {
        this.server = server;
        AtRest.secret(token);
    }

    /** Starts on a free loopback port. */
    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                receiver.received.add(body);
                Integer scripted = receiver.script.poll();
                int status = scripted == null ? 200 : scripted;
                if (status == 200) {
                    receiver.accepted.add(body);
                }
                byte[] answer = (status == 200 ? "ok" : "try again")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the URL, with a path that stands for a secret token. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + token;
    }

    /** Makes the next requests fail with these statuses, in order. */
    public void failNext(int... statuses) {
        for (int status : statuses) {
            script.add(status);
        }
    }

    /** Returns every body received, failed attempts included. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Returns the bodies answered with 200. */
    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** Forgets everything received. */
    public void clear() {
        received.clear();
        accepted.clear();
        script.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
