package dev.sentinel.adapters.webhook;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.adapters.AlertDelivery.Outcome;
import dev.sentinel.domain.alert.Alert;
import dev.sentinel.domain.port.AlertSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Delivers alerts to a webhook on virtual threads of its own, so that raising an alert never
 * waits for the receiver.
 *
 * <ol>
 *   <li>{@link #raise} reads the target in force (an admin may have changed it), and hands
 *       the alert to a delivery thread; with no URL set, or too many deliveries in flight,
 *       it only reports the alert as not configured or dropped.</li>
 *   <li>Each attempt POSTs the body with a timeout. A 2xx answer that the format accepts is
 *       delivered. A timeout, an I/O failure, 408, 429 or 5xx is tried again after a
 *       doubling pause; any other answer is a refusal and is not repeated.</li>
 *   <li>After the last attempt the alert has failed. Either way, the listener hears once.
 *       </li>
 * </ol>
 *
 * <p>The webhook URL is never logged or reported: it usually carries a secret token.
 *
 * <p>Thread-safe.
 */
public final class WebhookAlertSink implements AlertSink, AutoCloseable {

    private static final int MAX_ANSWER_BYTES = 16 * 1024;
    private static final int MAX_DETAIL_LENGTH = 200;
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Supplier<Optional<WebhookTarget>> target;
    private final DeliveryPolicy policy;
    private final AlertDeliveryListener listener;
    private final HttpClient http;
    private final ExecutorService deliveries;
    private final Semaphore inFlight;
    private volatile boolean closed;

    private WebhookAlertSink(Supplier<Optional<WebhookTarget>> target, DeliveryPolicy policy,
            AlertDeliveryListener listener) {
        this.target = target;
        this.policy = policy;
        this.listener = listener;
        this.deliveries = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("sentinel-webhook-", 0).factory());
        this.inFlight = new Semaphore(policy.maxInFlight());
        Duration connect = policy.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0
                ? policy.timeout() : MAX_CONNECT_TIMEOUT;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(deliveries)
                .build();
    }

    /**
     * Starts a sink.
     *
     * @param target the webhook in force, read for every alert; empty when none is set
     * @param policy timeout, attempts and backoff
     * @param listener hears how each delivery ended
     * @return the sink
     */
    public static WebhookAlertSink start(Supplier<Optional<WebhookTarget>> target,
            DeliveryPolicy policy, AlertDeliveryListener listener) {
        return new WebhookAlertSink(Objects.requireNonNull(target, "target"),
                Objects.requireNonNull(policy, "policy"),
                Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void raise(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        Optional<WebhookTarget> where = target.get();
        if (where.isEmpty()) {
            finished(alert, new AlertDelivery(Outcome.NOT_CONFIGURED, 0, ""));
            return;
        }
        if (closed || !inFlight.tryAcquire()) {
            finished(alert, new AlertDelivery(Outcome.DROPPED, 0,
                    closed ? "sentinel is stopping" : "too many webhooks in flight"));
            return;
        }
        try {
            deliveries.execute(() -> {
                try {
                    finished(alert, deliver(alert, where.get()));
                } finally {
                    inFlight.release();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.release();
            finished(alert, new AlertDelivery(Outcome.DROPPED, 0, "sentinel is stopping"));
        }
    }

    /** Returns how many deliveries are running now. */
    public int inFlight() {
        return policy.maxInFlight() - inFlight.availablePermits();
    }

    /** Lets running deliveries finish for a few seconds, then interrupts them. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        deliveries.shutdown();
        try {
            if (!deliveries.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                deliveries.shutdownNow();
            }
        } catch (InterruptedException e) {
            deliveries.shutdownNow();
            Thread.currentThread().interrupt();
        }
        http.close();
    }

    private AlertDelivery deliver(Alert alert, WebhookTarget where) {
        byte[] body = where.format().body(alert);
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = attempt(where, body);
            if (outcome instanceof Attempt.Accepted) {
                return new AlertDelivery(Outcome.SENT, attempt, "");
            }
            String reason = outcome instanceof Attempt.Refused refused
                    ? refused.reason()
                    : ((Attempt.Retryable) outcome).reason();
            if (outcome instanceof Attempt.Refused || attempt >= policy.maxAttempts()) {
                return new AlertDelivery(Outcome.FAILED, attempt, reason);
            }
            try {
                Thread.sleep(policy.backoffAfter(attempt));
            } catch (InterruptedException e) {
                return new AlertDelivery(Outcome.FAILED, attempt, reason
                        + "; stopped before retrying");
            }
        }
    }

    private Attempt attempt(WebhookTarget where, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(where.url())
                .timeout(policy.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "sentinel-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response;
        String answer;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                answer = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return new Attempt.Retryable(shorten(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt.Refused("stopped while sending");
        }

        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return where.format().accepted(answer)
                    ? new Attempt.Accepted()
                    : new Attempt.Refused("receiver refused the message: " + shorten(answer));
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Attempt.Retryable("HTTP " + status);
        }
        return new Attempt.Refused("HTTP " + status);
    }

    private void finished(Alert alert, AlertDelivery delivery) {
        try {
            listener.finished(alert, delivery);
        } catch (RuntimeException e) {
            // A listener must not throw; its failure must not stop other deliveries.
        }
    }

    private static String shorten(String text) {
        String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() <= MAX_DETAIL_LENGTH ? line
                : line.substring(0, MAX_DETAIL_LENGTH) + "…";
    }

    /** How one attempt ended. */
    private sealed interface Attempt {
        /** The receiver took it. */
        record Accepted() implements Attempt {
        }

        /** Worth another try. */
        record Retryable(String reason) implements Attempt {
        }

        /** Another try would be refused the same way. */
        record Refused(String reason) implements Attempt {
        }
    }
}
