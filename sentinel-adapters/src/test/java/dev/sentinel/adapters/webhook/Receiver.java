package dev.sentinel.adapters.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A webhook receiver on a free loopback port that answers from a script of statuses. */
final class Receiver implements AutoCloseable {

    /** One scripted answer. */
    record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile Answer otherwise = new Answer(200, "ok");

    private Receiver(HttpServer server) {
        this.server = server;
    }

    static Receiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        Receiver receiver = new Receiver(server);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                receiver.bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Answer answer = receiver.script.poll();
            if (answer == null) {
                answer = receiver.otherwise;
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return receiver;
    }

    /** Answers these first, in order, then the default. */
    void script(Answer... answers) {
        script.addAll(List.of(answers));
    }

    /** Sets the answer once the script is used up. */
    void otherwise(Answer answer) {
        otherwise = answer;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/hook/secret-token");
    }

    List<String> bodies() {
        return List.copyOf(bodies);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
