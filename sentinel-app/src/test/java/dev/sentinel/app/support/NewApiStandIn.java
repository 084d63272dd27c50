package dev.sentinel.app.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a free loopback port that answers like New API does for the parts
 * Sentinel cares about: a model list, an OpenAI-style streamed chat completion that flushes
 * one event at a time, and 401 {@code new_api_error} for keys it does not know. It records
 * every request it receives, so tests can assert what reached it and what did not.
 */
public final class NewApiStandIn implements AutoCloseable {

    private volatile HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> rejectedKeys = ConcurrentHashMap.newKeySet();
    private volatile int streamEvents = 5;
    private volatile Duration streamInterval = Duration.ofMillis(100);

    private NewApiStandIn(HttpServer server) {
        this.server = server;
    }

    /** Starts the server on 127.0.0.1 and a free port. */
    public static NewApiStandIn start() {
        NewApiStandIn standIn = new NewApiStandIn(null);
        standIn.server = standIn.listen(0);
        return standIn;
    }

    /** Starts listening again on the same port after {@link #close()}. */
    public void restart() {
        server = listen(server.getAddress().getPort());
    }

    private HttpServer listen(int port) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", port),
                    512);
            created.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            created.createContext("/", this::handle);
            created.start();
            return created;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the downstream", e);
        }
    }

    /** Returns the base URL, such as {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes New API answer 401 for requests carrying this raw key anywhere. */
    public void reject(String rawKey) {
        rejectedKeys.add(rawKey);
    }

    /** Makes New API accept this key again. */
    public void accept(String rawKey) {
        rejectedKeys.remove(rawKey);
    }

    /** Sets how many events a streamed completion has and how far apart they are. */
    public void streamShape(int events, Duration interval) {
        this.streamEvents = events;
        this.streamInterval = interval;
    }

    /** Returns every request received so far. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Returns whether any received request carried {@code text} in a header or the URI. */
    public boolean sawAnywhere(String text) {
        for (Received request : received) {
            if (request.uri().contains(text)) {
                return true;
            }
            for (List<String> values : request.headers().values()) {
                for (String value : values) {
                    if (value.contains(text)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Forgets the received requests. */
    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Received request = new Received(exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(), lowerCased(exchange.getRequestHeaders()),
                    body.length);
            received.add(request);

            if (carriesRejectedKey(request)) {
                sendJson(exchange, 401, "{\"error\":{\"message\":\"Invalid token (request id: "
                        + "x)\",\"type\":\"new_api_error\",\"code\":\"\"}}");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String text = new String(body, StandardCharsets.UTF_8);
            if (path.startsWith("/status/")) {
                int status = Integer.parseInt(path.substring("/status/".length()));
                exchange.getResponseHeaders().set("ETag", "\"v1\"");
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            if (path.startsWith("/text/")) {
                sendText(exchange, path.substring("/text/".length()));
                return;
            }
            if (path.equals("/redirect")) {
                exchange.getResponseHeaders().set("Location", "/v1/models");
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            if (path.endsWith("/chat/completions") && text.contains("\"stream\":true")) {
                streamCompletion(exchange);
                return;
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            sendJson(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\","
                    + "\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"openai\"}],"
                    + "\"path\":\"" + path.replace("\"", "") + "\"}");
        }
    }

    private boolean carriesRejectedKey(Received request) {
        for (String key : rejectedKeys) {
            if (request.uri().contains(key)) {
                return true;
            }
            for (List<String> values : request.headers().values()) {
                for (String value : values) {
                    if (value.contains(key)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** OpenAI's chunk format, each event written and flushed on its own. */
    private void streamCompletion(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        // New API commits the status before the first token; so does this stand-in.
        out.flush();
        int events = streamEvents;
        for (int i = 0; i < events; i++) {
            sleep(streamInterval);
            String chunk = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{"
                    + "\"index\":0,\"delta\":{\"content\":\"part" + i + " \"},"
                    + "\"finish_reason\":null}]}";
            out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Returns the body of {@code /text/<length>}: letters that never repeat in a pattern, so
     * that a byte lost, doubled or moved shows.
     *
     * @param length the number of letters
     * @return the letters
     */
    public static String text(int length) {
        Random random = new Random(length);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /** {@code <length>} with a Content-Length, {@code <length>/chunked} in uneven chunks. */
    private static void sendText(HttpExchange exchange, String shape) throws IOException {
        boolean chunked = shape.endsWith("/chunked");
        byte[] bytes = text(Integer.parseInt(chunked
                ? shape.substring(0, shape.length() - "/chunked".length())
                : shape)).getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, chunked ? 0 : bytes.length);
        OutputStream out = exchange.getResponseBody();
        if (!chunked) {
            out.write(bytes);
            return;
        }
        int offset = 0;
        for (int size = 1; offset < bytes.length; size = (size * 3 + 7) % 100_000) {
            int piece = Math.min(size + 1, bytes.length - offset);
            out.write(bytes, offset, piece);
            out.flush();
            offset += piece;
        }
    }

    private static void sendJson(HttpExchange exchange, int status, String json)
            throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, List<String>> lowerCased(Headers headers) {
        Map<String, List<String>> result = new TreeMap<>();
        headers.forEach((name, values) -> result.computeIfAbsent(
                name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        return result;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One request as received.
     *
     * @param method the method
     * @param uri the request target, raw
     * @param headers header lines by lower-case name
     * @param bodyLength bytes of body received
     */
    public record Received(String method, String uri, Map<String, List<String>> headers,
            int bodyLength) {

        /** Returns every value of a header, by lower-case name. */
        public List<String> header(String lowerName) {
            return headers.getOrDefault(lowerName, List.of());
        }
    }
}
