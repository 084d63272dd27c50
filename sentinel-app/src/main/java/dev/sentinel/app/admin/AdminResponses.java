package dev.sentinel.app.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sentinel.app.http.Refusals;
import dev.sentinel.app.http.RequestIds;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Writes the admin API's answers: JSON bodies, and errors in the same shape as the proxy's
 * refusals ({@code {"error":{"message","type","code"}}}). Admin answers are never cached and
 * never sniffed as another type.
 *
 * <p>Thread-safe: stateless.
 */
final class AdminResponses {

    static final String JSON = "application/json; charset=utf-8";

    private AdminResponses() {
    }

    /** Sets the headers every admin answer carries. */
    static void commonHeaders(ServerResponse response, String requestId) {
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        response.header(RequestIds.HEADER, requestId);
    }

    /** Sends a JSON body. */
    static void json(ServerResponse response, int status, String requestId, Object body) {
        byte[] bytes;
        try {
            bytes = AdminJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an admin view did not serialise", e);
        }
        response.status(Status.create(status));
        commonHeaders(response, requestId);
        response.header(HeaderNames.CONTENT_TYPE, JSON);
        response.send(bytes);
    }

    /** Sends an error body. */
    static void error(ServerResponse response, int status, String code, String message,
            String requestId, Optional<Duration> retryAfter) {
        response.status(Status.create(status));
        commonHeaders(response, requestId);
        response.header(HeaderNames.CONTENT_TYPE, JSON);
        retryAfter.ifPresent(wait -> response.header(HeaderNames.RETRY_AFTER,
                Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
        if (status == 401) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sentinel-admin\"");
        }
        response.send(Refusals.body(message + " (request id: " + requestId + ")", code));
    }
}
