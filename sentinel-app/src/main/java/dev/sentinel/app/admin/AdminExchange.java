package dev.sentinel.app.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.adapters.admin.Actor;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * One admin request being answered: the request, the response, its id and the admin's
 * address, with the reading and writing every endpoint needs.
 *
 * <p>Not thread-safe: it belongs to the request's thread.
 */
final class AdminExchange {

    private final ServerRequest request;
    private final ServerResponse response;
    private final String requestId;
    private final Actor actor;

    AdminExchange(ServerRequest request, ServerResponse response, String requestId,
            Actor actor) {
        this.request = request;
        this.response = response;
        this.requestId = requestId;
        this.actor = actor;
    }

    ServerRequest request() {
        return request;
    }

    ServerResponse response() {
        return response;
    }

    String requestId() {
        return requestId;
    }

    Actor actor() {
        return actor;
    }

    /** Returns a path parameter of the route's template. */
    String pathParameter(String name) {
        return request.path().pathParameters().get(name);
    }

    /** Returns the query parameters, refusing any not in {@code allowed}. */
    QueryParams query(Set<String> allowed) {
        return new QueryParams(request.query(), allowed);
    }

    /** Reads the body as one JSON object, at most {@link AdminJson#MAX_BODY_BYTES}. */
    ObjectNode body() {
        byte[] bytes;
        try (InputStream in = request.content().inputStream()) {
            bytes = in.readNBytes(AdminJson.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > AdminJson.MAX_BODY_BYTES) {
            throw AdminProblem.of(413, "request_too_large", "the request body is larger than "
                    + AdminJson.MAX_BODY_BYTES + " bytes: expected a small JSON object");
        }
        return AdminJson.object(bytes);
    }

    /** Sends a JSON body. */
    void json(int status, Object body) {
        AdminResponses.json(response, status, requestId, body);
    }
}
