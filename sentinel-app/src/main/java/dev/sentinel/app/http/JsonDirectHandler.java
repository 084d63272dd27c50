package dev.sentinel.app.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.lang.System.Logger.Level;

/**
 * Answers what Helidon rejects before routing (malformed request line, oversized headers or
 * body, bad framing) in the same JSON shape as Sentinel's own refusals, so a client sees one
 * kind of error whatever layer refused it.
 *
 * <p>Thread-safe: stateless apart from the id generator.
 */
public final class JsonDirectHandler implements DirectHandler {

    private static final System.Logger LOG = System.getLogger(JsonDirectHandler.class.getName());

    private final RequestIds requestIds;

    private JsonDirectHandler(RequestIds requestIds) {
        this.requestIds = requestIds;
    }

    /**
     * Returns direct handlers that answer every event type with JSON.
     *
     * @param requestIds where request ids come from
     * @return the handlers for a listener
     */
    public static DirectHandlers all(RequestIds requestIds) {
        JsonDirectHandler handler = new JsonDirectHandler(requestIds);
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    /**
     * Helidon 4.5 reports some malformed requests (a method with an illegal character) as an
     * internal error, because its parser throws {@link IllegalArgumentException} before
     * routing. Such input is the client's fault: answer 400, never 500.
     */
    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType,
            Status defaultStatus, ServerResponseHeaders headers, Throwable thrown,
            System.Logger logger) {
        if (eventType == EventType.INTERNAL_ERROR && isParserRejection(thrown)) {
            return handle(request, EventType.BAD_REQUEST, Status.BAD_REQUEST_400, headers,
                    "malformed request");
        }
        return DirectHandler.super.handle(request, eventType, defaultStatus, headers, thrown,
                logger);
    }

    private static boolean isParserRejection(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().startsWith("io.helidon.http.")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType,
            Status defaultStatus, ServerResponseHeaders headers, String message) {
        // An internal error with no request line parsed means the bytes could not be read
        // as a request: the connection loop reports only a message, never the cause.
        Status answered = eventType == EventType.INTERNAL_ERROR && request.method().isEmpty()
                ? Status.BAD_REQUEST_400
                : defaultStatus;
        String requestId = requestIds.next();
        int status = answered.code();
        String code = codeOf(status);
        // 501 and 505 name what the client asked for (a coding, a version), not a failure.
        if (status >= 500 && status != 501 && status != 505) {
            LOG.log(Level.WARNING, "request failed before routing requestId={0} status={1} "
                    + "event={2}", requestId, String.valueOf(status), eventType.name());
        }
        headers.set(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        headers.set(HeaderNames.CACHE_CONTROL, "no-store");
        headers.set(HeaderNames.create(RequestIds.HEADER), requestId);
        headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        // The framework's message is about our parser, not the client's data: keep it generic.
        String text = describe(status) + " (request id: " + requestId + ")";
        return TransportResponse.builder()
                .status(answered)
                .headers(headers)
                .entity(Refusals.body(text, code))
                .keepAlive(eventType.keepAlive() && status < 500)
                .build();
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "request_too_large";
            case 501 -> "not_implemented";
            case 431 -> "request_header_fields_too_large";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }

    private static String describe(int status) {
        return switch (status) {
            case 404 -> "Not found";
            case 405 -> "This method is not allowed here";
            case 413 -> "The request body is larger than this gateway accepts";
            case 501 -> "This request uses a feature the gateway does not implement";
            case 431 -> "The request headers are larger than this gateway accepts";
            case 505 -> "This HTTP version is not supported";
            default -> status >= 500
                    ? "The gateway failed to handle the request"
                    : "The request is malformed";
        };
    }
}
