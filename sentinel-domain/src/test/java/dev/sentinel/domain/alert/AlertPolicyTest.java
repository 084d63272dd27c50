package dev.sentinel.domain.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.AlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AlertPolicyTest {

    private static final Instant WINDOW_START = Instant.parse("2030-01-01T00:05:00Z");
    private static final TokenHash KEY = new TokenHash("a".repeat(64));
    private static final TokenHash OTHER_KEY = new TokenHash("b".repeat(64));

    private final InMemoryInterceptCounter counter = new InMemoryInterceptCounter();
    private final Alerts alerts = new Alerts();
    private final AtomicReference<AlertSettings> settings = new AtomicReference<>(
            new AlertSettings(3, Duration.ofMinutes(5)));
    private final AlertPolicy policy = new AlertPolicy(counter, alerts, settings::get);

    @Test
    void theInterceptThatReachesTheThresholdRaisesOneAlert() {
        assertThat(policy.observe(intercept(KEY, "198.51.100.1", 0))).isEmpty();
        assertThat(policy.observe(intercept(KEY, "198.51.100.2", 1))).isEmpty();

        Alert raised = policy.observe(intercept(KEY, "198.51.100.2", 2)).orElseThrow();

        assertThat(raised.tokenHash()).isEqualTo(KEY);
        assertThat(raised.hint()).isEqualTo("sk-ab…wxyz");
        assertThat(raised.intercepts()).isEqualTo(3);
        assertThat(raised.threshold()).isEqualTo(3);
        assertThat(raised.window()).isEqualTo(new AlertWindow(WINDOW_START,
                Duration.ofMinutes(5)));
        assertThat(raised.addresses()).containsExactlyInAnyOrder(IpAddress.of("198.51.100.1"),
                IpAddress.of("198.51.100.2"));
        assertThat(raised.raisedAt()).isEqualTo(WINDOW_START.plusSeconds(2));
        assertThat(alerts.raised).containsExactly(raised);
    }

    @Test
    void interceptsPastTheThresholdInTheSameWindowRaiseNothingMore() {
        for (int i = 0; i < 10; i++) {
            policy.observe(intercept(KEY, "198.51.100.1", i));
        }

        assertThat(alerts.raised).hasSize(1);
    }

    @Test
    void theNextWindowCountsAfreshAndAlertsAgain() {
        for (int i = 0; i < 3; i++) {
            policy.observe(intercept(KEY, "198.51.100.1", i));
        }
        for (int i = 0; i < 3; i++) {
            policy.observe(intercept(KEY, "198.51.100.1", 300 + i));
        }

        assertThat(alerts.raised).extracting(alert -> alert.window().start())
                .containsExactly(WINDOW_START, WINDOW_START.plusSeconds(300));
    }

    @Test
    void twoReplicasSharingTheCounterRaiseOneAlertForABurstSpreadOverBoth() {
        AlertPolicy secondReplica = new AlertPolicy(counter, alerts, settings::get);

        policy.observe(intercept(KEY, "198.51.100.1", 0));
        secondReplica.observe(intercept(KEY, "198.51.100.2", 1));
        policy.observe(intercept(KEY, "198.51.100.3", 2));
        secondReplica.observe(intercept(KEY, "198.51.100.4", 3));

        assertThat(alerts.raised).hasSize(1);
        assertThat(alerts.raised.get(0).intercepts()).isEqualTo(3);
    }

    @Test
    void keysAreCountedApart() {
        policy.observe(intercept(KEY, "198.51.100.1", 0));
        policy.observe(intercept(OTHER_KEY, "198.51.100.1", 1));
        policy.observe(intercept(KEY, "198.51.100.1", 2));

        assertThat(alerts.raised).isEmpty();
    }

    @Test
    void aLoweredThresholdAppliesToTheNextIntercept() {
        policy.observe(intercept(KEY, "198.51.100.1", 0));
        policy.observe(intercept(KEY, "198.51.100.1", 1));

        settings.set(new AlertSettings(1, Duration.ofMinutes(5)));
        policy.observe(intercept(KEY, "198.51.100.1", 2));
        policy.observe(intercept(KEY, "198.51.100.1", 3));

        assertThat(alerts.raised).hasSize(1);
        assertThat(alerts.raised.get(0).threshold()).isEqualTo(1);
    }

    @Test
    void windowsTileTimeFromTheEpoch() {
        AlertWindow window = AlertWindow.containing(Instant.parse("2030-01-01T00:07:31.250Z"),
                Duration.ofMinutes(5));

        assertThat(window.start()).isEqualTo(WINDOW_START);
        assertThat(window.end()).isEqualTo(Instant.parse("2030-01-01T00:10:00Z"));
        assertThat(window.contains(WINDOW_START)).isTrue();
        assertThat(window.contains(window.end())).isFalse();
        assertThat(window.next().start()).isEqualTo(window.end());
        assertThat(AlertWindow.containing(Instant.parse("1969-12-31T23:59:59Z"),
                Duration.ofSeconds(7)).start()).isEqualTo(Instant.parse("1969-12-31T23:59:53Z"));
    }

    @Test
    void windowsAndSettingsOutOfRangeAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> AlertWindow.containing(WINDOW_START, Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.999S");
        assertThatThrownBy(() -> new AlertWindow(WINDOW_START.plusSeconds(1),
                Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a whole multiple");
        assertThatThrownBy(() -> new AlertSettings(0, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    private static Intercept intercept(TokenHash key, String ip, int secondsIntoWindow) {
        return new Intercept(WINDOW_START.plusSeconds(secondsIntoWindow), key, "sk-ab…wxyz",
                IpAddress.of(ip), List.of(Cidr.parse("203.0.113.7/32")), "POST",
                "/v1/chat/completions", "curl/8", InterceptReason.OUTSIDE_BOUND_NETWORKS);
    }

    /** Keeps every alert raised. */
    private static final class Alerts implements AlertSink {
        final List<Alert> raised = new CopyOnWriteArrayList<>();

        @Override
        public void raise(Alert alert) {
            raised.add(alert);
        }
    }
}
