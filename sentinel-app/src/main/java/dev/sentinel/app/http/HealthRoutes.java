package dev.sentinel.app.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Liveness on both listeners.
 *
 * <p>Thread-safe: stateless.
 */
public final class HealthRoutes {

    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private HealthRoutes() {
    }

    /**
     * Adds the public listener's own routes.
     *
     * @param routing the public routing, before the proxy's catch-all
     */
    public static void publicRoutes(HttpRouting.Builder routing) {
        routing.get("/health", HealthRoutes::alive);
    }

    /**
     * Returns whether the public listener answers a path itself rather than proxying it;
     * must agree with {@link #publicRoutes}. A WebSocket handshake there is not bridged.
     *
     * @param decodedPath the request's decoded path
     * @return whether Sentinel serves it
     */
    public static boolean isOwnPath(String decodedPath) {
        return decodedPath.equals("/health") || decodedPath.equals("/admin")
                || decodedPath.startsWith("/admin/");
    }

    /**
     * Adds the management listener's routes.
     *
     * @param routing the management routing
     */
    public static void management(HttpRouting.Builder routing) {
        routing.get("/health", HealthRoutes::alive);
    }

    private static void alive(ServerRequest request, ServerResponse response) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(OK);
    }
}
