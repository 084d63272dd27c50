package dev.sentinel.app.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Liveness on both listeners, and the routes Sentinel keeps for itself on the public one:
 * nothing under {@code /admin} is ever proxied to New API.
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
        routing.any("/admin", HealthRoutes::notFound);
        routing.any("/admin/*", HealthRoutes::notFound);
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

    /** Paths Sentinel keeps for itself but does not serve answer 404, never New API. */
    private static void notFound(ServerRequest request, ServerResponse response) {
        response.status(Status.NOT_FOUND_404);
        response.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        response.send(Refusals.body("Not found: " + request.path().path(), "not_found"));
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
