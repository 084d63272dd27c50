package dev.sentinel.app;

import static dev.sentinel.app.RedisOutageUnderLoadIT.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.support.Eventually;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.Scrape;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TestClock;
import dev.sentinel.app.support.WebhookReceiver;
import dev.sentinel.domain.credential.ApiKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5: a burst of intercepts above the threshold in one window reaches a real HTTP
 * receiver as exactly one webhook, also when the burst is spread over two replicas, and
 * once more in the next window; a receiver that fails twice still gets it once. Windows are
 * moved with the clock, never waited for.
 */
class AlertWebhookIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A window start: the windows are 60 s long and aligned to the epoch. */
    private static final Instant WINDOW = Instant.parse("2031-03-01T10:00:00Z");

    private static WebhookReceiver receiver;
    private static TestClock clock;
    private static SentinelUnderTest sentinel;
    private static Sentinel first;
    private static Sentinel second;
    private static double checksBefore;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        clock = new TestClock(WINDOW.plusSeconds(1));
        sentinel = SentinelUnderTest.prepare("alerts", true, Map.of(
                "ALERT_THRESHOLD_COUNT", "3", "ALERT_WINDOW_SECONDS", "60",
                "ALERT_WEBHOOK_URL", receiver.url(), "ALERT_WEBHOOK_FORMAT", "generic"))
                .clock(clock);
        first = sentinel.startInstance();
        second = sentinel.startInstance();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
        receiver.close();
    }

    @BeforeEach
    void nextWindow() {
        // Each test starts at the beginning of a window of its own.
        clock.advance(Duration.ofMinutes(10));
        receiver.clear();
        checksBefore = 0;
        for (Sentinel instance : List.of(first, second)) {
            checksBefore += sentinel.metrics(instance).value("sentinel_alert_checks_total");
        }
    }

    @Test
    void aBurstAboveTheThresholdSendsOneWebhookAndTheNextWindowOneMore() throws Exception {
        String key = boundKey("127.0.0.2");

        intercept(key, first, 6);
        awaitAlertsSettled(6);

        assertThat(receiver.accepted()).hasSize(1);
        JsonNode alert = JSON.readTree(receiver.accepted().get(0));
        assertThat(alert.get("key_hint").asText()).isEqualTo(ApiKey.fromPasted(key).hint());
        assertThat(alert.get("token_hash_prefix").asText())
                .isEqualTo(sentinel.tokenHash(key).prefix(12));
        assertThat(alert.get("intercepts").asLong()).isEqualTo(3);
        assertThat(alert.get("offending_ips")).extracting(JsonNode::asText)
                .containsExactly("127.0.0.3");
        assertThat(alert.get("window").get("seconds").asLong()).isEqualTo(60);
        String firstWindow = alert.get("window").get("start").asText();

        clock.advance(Duration.ofSeconds(60));
        intercept(key, first, 4);
        awaitAlertsSettled(10);

        assertThat(receiver.accepted()).hasSize(2);
        JsonNode next = JSON.readTree(receiver.accepted().get(1));
        assertThat(Instant.parse(next.get("window").get("start").asText()))
                .isEqualTo(Instant.parse(firstWindow).plusSeconds(60));
        assertThat(alertRows(key, 2)).isTrue();
    }

    @Test
    void aBurstSpreadOverTwoReplicasSendsOneWebhook() throws Exception {
        String key = boundKey("127.0.0.4");

        for (int i = 0; i < 4; i++) {
            intercept(key, i % 2 == 0 ? first : second, 1);
        }
        intercept(key, second, 2);
        intercept(key, first, 2);
        awaitAlertsSettled(8);

        assertThat(receiver.accepted()).hasSize(1);
        assertThat(alertRows(key, 1)).isTrue();

        clock.advance(Duration.ofSeconds(60));
        intercept(key, first, 2);
        intercept(key, second, 2);
        awaitAlertsSettled(12);

        assertThat(receiver.accepted()).hasSize(2);
        assertThat(alertRows(key, 2)).isTrue();
    }

    @Test
    void aReceiverThatFailsTwiceThenAcceptsStillGetsTheAlertOnce() throws Exception {
        String key = boundKey("127.0.0.5");
        receiver.failNext(500, 503);

        intercept(key, first, 3);
        awaitAlertsSettled(3);

        assertThat(receiver.received()).hasSize(3).containsOnly(receiver.received().get(0));
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(alertRows(key, 1)).isTrue();
        assertThat(sentinel.queryLong("SELECT attempts FROM " + sentinel.schema()
                + ".alert WHERE token_hash = '" + sentinel.tokenHash(key).hex()
                + "' AND delivery = 'sent'")).isEqualTo(3);
    }

    /** Binds a fresh key from an address and returns it. */
    private static String boundKey(String address) {
        String key = Keys.fresh();
        assertThat(sentinel.from(address, first).get("/v1/models", bearer(key)).status())
                .isEqualTo(200);
        return key;
    }

    private static void intercept(String key, Sentinel instance, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(sentinel.from("127.0.0.3", instance).get("/v1/models", bearer(key))
                    .status()).isEqualTo(403);
        }
    }

    /**
     * Waits until both replicas have counted every intercept of this test, raised what they
     * raise, and finished every delivery: only then is "exactly one" a fact.
     *
     * <p>Raises and deliveries are read from a scrape taken after the one that showed every
     * intercept counted. One scrape reads its counters one after another, in no fixed
     * order: it could read "raised" just before the last intercept raised its alert and
     * "checked" just after, and the alert still on its way would pass for none.
     */
    private static void awaitAlertsSettled(long intercepts) {
        assertThat(Eventually.within(WAIT, () -> {
            double checked = 0;
            for (Sentinel instance : List.of(first, second)) {
                checked += sentinel.metrics(instance).value("sentinel_alert_checks_total");
            }
            if (checked - checksBefore != intercepts) {
                return false;
            }
            double raised = 0;
            double finished = 0;
            for (Sentinel instance : List.of(first, second)) {
                Scrape metrics = sentinel.metrics(instance);
                raised += metrics.value("sentinel_alerts_raised_total");
                for (String outcome : List.of("sent", "failed", "not_configured", "dropped")) {
                    finished += metrics.value("sentinel_alert_webhooks_total",
                            "outcome=" + outcome);
                }
            }
            return raised == finished;
        })).isTrue();
    }

    /** Waits until the alert table holds this many rows of a key (it is written later). */
    private static boolean alertRows(String key, long rows) {
        String sql = "SELECT count(*) FROM " + sentinel.schema() + ".alert WHERE token_hash = '"
                + sentinel.tokenHash(key).hex() + "'";
        return Eventually.within(WAIT, () -> sentinel.queryLong(sql) == rows);
    }
}
