package dev.sentinel.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.adapters.AlertDelivery.Outcome;
import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.Eventually;
import dev.sentinel.adapters.SilentServer;
import dev.sentinel.domain.alert.Alert;
import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.net.IpAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookAlertSinkTest {

    /** Short pauses keep the retries quick; the attempts are what is under test. */
    private static final DeliveryPolicy QUICK = new DeliveryPolicy(Duration.ofSeconds(2), 4,
            Duration.ofMillis(20), Duration.ofMillis(80), 4);

    private final Map<Alert, AlertDelivery> finished = new ConcurrentHashMap<>();
    private final AtomicReference<Optional<WebhookTarget>> target =
            new AtomicReference<>(Optional.empty());
    private Receiver receiver;
    private WebhookAlertSink sink;

    @BeforeEach
    void start() throws Exception {
        receiver = Receiver.start();
        target.set(Optional.of(new WebhookTarget(receiver.url(), WebhookFormat.GENERIC)));
        sink = WebhookAlertSink.start(target::get, QUICK, finished::put);
    }

    @AfterEach
    void stop() {
        sink.close();
        receiver.close();
    }

    @Test
    void anAcceptedAlertIsDeliveredOnceInOneAttempt() {
        Alert alert = alert();

        sink.raise(alert);

        assertThat(Eventually.within(Duration.ofSeconds(10), () -> finished.containsKey(alert)))
                .isTrue();
        assertThat(finished.get(alert)).isEqualTo(new AlertDelivery(Outcome.SENT, 1, ""));
        assertThat(receiver.bodies()).hasSize(1);
        assertThat(receiver.bodies().get(0)).contains("\"key_hint\":\"sk-ab…wxyz\"");
    }

    @Test
    void aReceiverThatFailsTwiceThenAcceptsGetsTheAlertOnTheThirdAttempt() {
        receiver.script(new Receiver.Answer(500, "boom"), new Receiver.Answer(503, ""));
        Alert alert = alert();

        sink.raise(alert);

        assertThat(Eventually.within(Duration.ofSeconds(10), () -> finished.containsKey(alert)))
                .isTrue();
        assertThat(finished.get(alert)).isEqualTo(new AlertDelivery(Outcome.SENT, 3, ""));
        assertThat(receiver.bodies()).hasSize(3).containsOnly(receiver.bodies().get(0));
    }

    @Test
    void aReceiverThatKeepsFailingIsTriedABoundedNumberOfTimes() {
        receiver.otherwise(new Receiver.Answer(502, ""));
        Alert alert = alert();

        sink.raise(alert);

        assertThat(Eventually.within(Duration.ofSeconds(10), () -> finished.containsKey(alert)))
                .isTrue();
        assertThat(finished.get(alert)).isEqualTo(new AlertDelivery(Outcome.FAILED, 4,
                "HTTP 502"));
        assertThat(receiver.bodies()).hasSize(4);
    }

    @Test
    void aRefusalIsNotRepeated() {
        receiver.otherwise(new Receiver.Answer(404, "no such hook"));
        Alert alert = alert();

        sink.raise(alert);

        assertThat(Eventually.within(Duration.ofSeconds(10), () -> finished.containsKey(alert)))
                .isTrue();
        assertThat(finished.get(alert)).isEqualTo(new AlertDelivery(Outcome.FAILED, 1,
                "HTTP 404"));
    }

    @Test
    void aDingTalkRobotThatAnswers200WithAnErrorCodeRefusedTheMessage() {
        target.set(Optional.of(new WebhookTarget(receiver.url(), WebhookFormat.DINGTALK)));
        receiver.otherwise(new Receiver.Answer(200,
                "{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}"));
        Alert alert = alert();

        sink.raise(alert);

        assertThat(Eventually.within(Duration.ofSeconds(10), () -> finished.containsKey(alert)))
                .isTrue();
        assertThat(finished.get(alert).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(finished.get(alert).detail()).contains("310000");
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutAndNeverBlocksTheCaller() throws Exception {
        try (SilentServer silent = SilentServer.start();
                WebhookAlertSink slow = WebhookAlertSink.start(() -> Optional.of(
                        new WebhookTarget(URI.create("http://127.0.0.1:" + silent.port() + "/"),
                                WebhookFormat.SLACK)),
                        new DeliveryPolicy(Duration.ofMillis(300), 2, Duration.ofMillis(10),
                                Duration.ofMillis(10), 4), finished::put)) {
            Alert alert = alert();

            long start = System.nanoTime();
            slow.raise(alert);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofMillis(250));

            assertThat(Eventually.within(Duration.ofSeconds(10),
                    () -> finished.containsKey(alert))).isTrue();
            assertThat(finished.get(alert).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(finished.get(alert).attempts()).isEqualTo(2);
        }
    }

    @Test
    void withoutAWebhookTheAlertIsOnlyReportedAsNotConfigured() {
        target.set(Optional.empty());
        Alert alert = alert();

        sink.raise(alert);

        assertThat(finished.get(alert)).isEqualTo(new AlertDelivery(Outcome.NOT_CONFIGURED, 0,
                ""));
        assertThat(receiver.bodies()).isEmpty();
    }

    @Test
    void theTargetDescriptionHidesTheUrlsSecretPath() {
        WebhookTarget described = new WebhookTarget(URI.create(
                "https://oapi.dingtalk.com/robot/send?access_token=s3cr3t"),
                WebhookFormat.DINGTALK);

        assertThat(described.toString()).doesNotContain("s3cr3t").doesNotContain("robot")
                .contains("oapi.dingtalk.com");
    }

    private static Alert alert() {
        return new Alert(Bindings.randomHash(), "sk-ab…wxyz",
                AlertWindow.containing(Bindings.T0, Duration.ofMinutes(5)), 5, 5,
                List.of(IpAddress.of("192.0.2.1")), Bindings.T0);
    }
}
