package dev.sentinel.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.InterceptReason;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes Sentinel's own answers in OpenAI's error shape
 * ({@code {"error":{"message","type":"sentinel_error","code"}}}), with a request id and CORS
 * headers so that a browser client can read why it was refused.
 *
 * <p>Thread-safe.
 */
public final class Refusals {

    /** The {@code type} of every error body Sentinel writes. */
    public static final String ERROR_TYPE = "sentinel_error";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Answers a request with a refusal.
     *
     * @param request the request, for its language and origin
     * @param response the response, not yet sent
     * @param code the refusal
     * @param requestId the id also written to logs
     * @param retryAfter when to try again, for 429 and 503
     */
    public void send(ServerRequest request, ServerResponse response, RefusalCode code,
            String requestId, Optional<Duration> retryAfter) {
        send(request, response, code, requestId, retryAfter, Optional.empty());
    }

    /**
     * Answers a request with a refusal that may be an intercept, whose reason the message
     * names: a banned key is told so, not sent looking for another network.
     *
     * @param request the request, for its language and origin
     * @param response the response, not yet sent
     * @param code the refusal
     * @param requestId the id also written to logs
     * @param retryAfter when to try again, for 429 and 503
     * @param interceptReason why a bound key was stopped; empty for other refusals
     */
    public void send(ServerRequest request, ServerResponse response, RefusalCode code,
            String requestId, Optional<Duration> retryAfter,
            Optional<InterceptReason> interceptReason) {
        ServerRequestHeaders headers = request.headers();
        boolean chinese = Messages.prefersChinese(
                headers.first(HeaderNames.ACCEPT_LANGUAGE).orElse(null));
        String text = interceptReason.filter(InterceptReason.BANNED::equals).isPresent()
                ? Messages.banned(chinese)
                : Messages.of(code, chinese);
        String message = text + " (request id: " + requestId + ")";

        response.status(Status.create(code.httpStatus()));
        response.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.header(RequestIds.HEADER, requestId);
        retryAfter.ifPresent(wait -> response.header(HeaderNames.RETRY_AFTER,
                Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
        allowBrowsersToRead(headers, response);
        response.send(body(message, code.code()));
    }

    /**
     * Answers a request with an error that is no refusal of the key, such as a body larger
     * than the gateway accepts.
     *
     * @param request the request, for its origin
     * @param response the response, not yet sent
     * @param status the status
     * @param code the machine-readable code
     * @param message the English message
     * @param requestId the id also written to logs
     */
    public void send(ServerRequest request, ServerResponse response, Status status, String code,
            String message, String requestId) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.header(RequestIds.HEADER, requestId);
        allowBrowsersToRead(request.headers(), response);
        response.send(body(message + " (request id: " + requestId + ")", code));
    }

    /**
     * Returns an error body in OpenAI's shape.
     *
     * @param message the human-readable message
     * @param code the machine-readable code
     * @return UTF-8 JSON
     */
    public static byte[] body(String message, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", ERROR_TYPE);
        error.put("code", code);
        try {
            return JSON.writeValueAsBytes(Map.of("error", error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    /** Browsers hide a cross-origin answer's body and headers unless told otherwise. */
    private static void allowBrowsersToRead(ServerRequestHeaders headers,
            ServerResponse response) {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent()) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.header(HeaderNames.VARY, "Origin");
        } else {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        response.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
                RequestIds.HEADER + ", Retry-After");
    }
}
