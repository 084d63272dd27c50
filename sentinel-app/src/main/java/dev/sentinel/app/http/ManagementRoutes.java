package dev.sentinel.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.observe.Readiness;
import dev.sentinel.app.observe.SentinelMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The management listener's own routes besides liveness: {@code /health/ready} (stores and
 * failsafe, 503 only while the closed failsafe refuses) and {@code /metrics} (Prometheus
 * text format).
 *
 * <p>Thread-safe.
 */
public final class ManagementRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Readiness> readiness;
    private final SentinelMetrics metrics;

    /**
     * Creates the routes.
     *
     * @param readiness reads the stores' and failsafe's state now
     * @param metrics the meters to expose
     */
    public ManagementRoutes(Supplier<Readiness> readiness, SentinelMetrics metrics) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Adds the routes.
     *
     * @param routing the management routing
     */
    public void register(HttpRouting.Builder routing) {
        routing.get("/health/ready", this::ready);
        routing.get("/metrics", this::metrics);
    }

    private void ready(ServerRequest request, ServerResponse response) {
        Readiness now = readiness.get();
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(now.report());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialise", e);
        }
        response.status(Status.create(now.httpStatus()));
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(body);
    }

    private void metrics(ServerRequest request, ServerResponse response) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, SentinelMetrics.CONTENT_TYPE);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
