package dev.sentinel.app.support;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket server standing in for New API's realtime endpoint, on Helidon's own
 * server-side WebSocket (which insists on {@code Connection: Upgrade} and checks
 * {@code Origin}). It echoes every frame as it came (fragments included), answers pings,
 * closes with any code on request ({@code close:<code>:<reason>}), floods on
 * {@code /flood}, stops reading on {@code /stall} after the first message, answers 401 in
 * New API's JSON for keys it was told to reject, chooses the {@code realtime} sub-protocol
 * when offered, and records every handshake and close.
 */
public final class RealtimeStandIn implements AutoCloseable {

    /** The only cross-site origin this server accepts. */
    public static final String ALLOWED_ORIGIN = "https://app.example";

    private static final String PROTOCOL = "Sec-WebSocket-Protocol";

    private final WebServer server;
    private final List<Upgrade> upgrades = new CopyOnWriteArrayList<>();
    private final List<Closed> closes = new CopyOnWriteArrayList<>();
    private final Set<String> rejectedKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> notUpgradedKeys = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private RealtimeStandIn() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .backlog(1024)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .addProtocol(WsConfig.builder().addOrigin(ALLOWED_ORIGIN).build())
                .routing(routing -> routing
                        .addFilter(this::rejectKnownKeys)
                        .get("/*", (req, res) -> res.send("plain http")))
                .addRouting(WsRouting.builder().endpoint("/*", Endpoint::new))
                .shutdownHook(false)
                .build()
                .start();
    }

    /** Starts the server on 127.0.0.1 and a free port. */
    public static RealtimeStandIn start() {
        return new RealtimeStandIn();
    }

    /** Returns the base URL, {@code http://127.0.0.1:<port>}, as DOWNSTREAM_URL takes it. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Makes handshakes carrying this raw key anywhere in a header answer 401. */
    public void reject(String rawKey) {
        rejectedKeys.add(rawKey);
    }

    /**
     * Makes handshakes carrying this raw key answer {@code 200} JSON instead of upgrading,
     * as a New API route that does not speak WebSocket does.
     */
    public void answerWithoutUpgrade(String rawKey) {
        notUpgradedKeys.add(rawKey);
    }

    /** Returns every handshake that reached the upgrade. */
    public List<Upgrade> upgrades() {
        return List.copyOf(upgrades);
    }

    /** Returns whether any upgraded handshake carried {@code text} in a header or target. */
    public boolean sawAnywhere(String text) {
        for (Upgrade upgrade : upgrades) {
            if (upgrade.rawPath().contains(text) || upgrade.rawQuery().contains(text)) {
                return true;
            }
            for (List<String> values : upgrade.headers().values()) {
                for (String value : values) {
                    if (value.contains(text)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Waits for the close of the connection whose query is {@code rawQuery}.
     *
     * @param rawQuery the connection's query, as a marker
     * @param within how long to wait
     * @return the close, or {@code null} when none came in time
     */
    public Closed awaitClose(String rawQuery, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (Closed closed : closes) {
                if (closed.rawQuery().equals(rawQuery)) {
                    return closed;
                }
            }
            Thread.sleep(5);
        }
        return null;
    }

    /** Forgets recorded handshakes and closes. */
    public void clear() {
        upgrades.clear();
        closes.clear();
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop();
    }

    private void rejectKnownKeys(FilterChain chain, RoutingRequest request,
            RoutingResponse response) {
        for (Header header : request.headers()) {
            for (String value : header.allValues()) {
                for (String key : rejectedKeys) {
                    if (value.contains(key)) {
                        response.status(Status.UNAUTHORIZED_401);
                        response.header(HeaderNames.CONTENT_TYPE,
                                "application/json; charset=utf-8");
                        response.send("{\"error\":{\"message\":\"无效的令牌 Invalid token\","
                                + "\"type\":\"new_api_error\",\"code\":\"\"}}");
                        return;
                    }
                }
                for (String key : notUpgradedKeys) {
                    if (value.contains(key)) {
                        response.header(HeaderNames.CONTENT_TYPE, "application/json");
                        response.send("{\"object\":\"list\",\"data\":[]}");
                        return;
                    }
                }
            }
        }
        chain.proceed();
    }

    private static Map<String, List<String>> lowerCased(Headers headers) {
        Map<String, List<String>> result = new TreeMap<>();
        for (Header header : headers) {
            result.computeIfAbsent(header.name().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).addAll(header.allValues());
        }
        return result;
    }

    /** One connection's behaviour, chosen by its path. */
    private final class Endpoint implements WsListener {

        private volatile String path = "";
        private volatile String query = "";
        private volatile boolean open = true;

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            path = prologue.uriPath().rawPath();
            query = prologue.query().rawValue();
            upgrades.add(new Upgrade(path, query, lowerCased(headers)));
            for (String line : headers.first(HeaderNames.create(PROTOCOL)).stream().toList()) {
                for (String offered : line.split(",")) {
                    if (offered.strip().equals("realtime")) {
                        WritableHeaders<?> chosen = WritableHeaders.create();
                        chosen.set(HeaderNames.create(PROTOCOL), "realtime");
                        return Optional.of(chosen);
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public void onOpen(WsSession session) {
            if (path.equals("/flood")) {
                Thread.ofVirtual().start(() -> flood(session));
            }
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            if (text.startsWith("close:")) {
                String[] parts = text.split(":", 3);
                session.close(Integer.parseInt(parts[1]), parts[2]);
                return;
            }
            session.send(text, last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            if (path.equals("/stall")) {
                // Reads nothing more until the server stops: TCP fills up behind it.
                awaitStop();
                return;
            }
            session.send(BufferData.create(buffer.readBytes()), last);
        }

        private void awaitStop() {
            try {
                stopped.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            session.pong(BufferData.create(buffer.readBytes()));
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            open = false;
            closes.add(new Closed(path, query, status, reason, System.nanoTime()));
        }

        private void flood(WsSession session) {
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                // Stops when the connection closes; 256 MiB is far past any sane buffer.
                for (int i = 0; i < 4096 && open; i++) {
                    session.send(BufferData.create(chunk), true);
                }
            } catch (RuntimeException e) {
                // the connection was closed under the writer
            }
        }
    }

    /**
     * A handshake as it reached this server.
     *
     * @param rawPath the path, raw
     * @param rawQuery the query, raw, without {@code ?}
     * @param headers header values by lower-case name
     */
    public record Upgrade(String rawPath, String rawQuery, Map<String, List<String>> headers) {

        /** Returns every value of a header, by lower-case name. */
        public List<String> header(String lowerName) {
            return headers.getOrDefault(lowerName, List.of());
        }
    }

    /**
     * A close this server received.
     *
     * @param path the connection's path
     * @param rawQuery the connection's query
     * @param code the close code
     * @param reason the reason
     * @param nanoTime {@link System#nanoTime()} when it arrived
     */
    public record Closed(String path, String rawQuery, int code, String reason,
            long nanoTime) {
    }
}
