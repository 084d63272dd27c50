package dev.sentinel.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.adapters.AlertDelivery.Outcome;
import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.TcpProxy;
import dev.sentinel.adapters.TestDatabase;
import dev.sentinel.domain.alert.Alert;
import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresAlertHistoryIT {

    private static PostgresConfig config;
    private static PostgresStores stores;

    @BeforeAll
    static void connect() {
        config = TestDatabase.config(TestDatabase.uniqueSchema(PostgresAlertHistoryIT.class));
        stores = PostgresStores.connect(config);
    }

    @AfterAll
    static void dropSchema() {
        stores.close();
        TestDatabase.dropSchema(config);
    }

    @Test
    void anAlertIsKeptWithItsDeliveryAndASecondOfTheSameWindowIsIgnored() {
        Alert alert = alert(Bindings.randomHash());
        try (AlertHistory history = stores.alertHistory(100)) {
            history.record(alert, new AlertDelivery(Outcome.SENT, 3, ""));
            history.record(alert, new AlertDelivery(Outcome.FAILED, 1, "HTTP 500"));

            assertThat(history.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(history.dropped()).isZero();
        }

        List<Map<String, Object>> rows = rows(alert.tokenHash());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("hint", "sk-ab…wxyz")
                .containsEntry("intercepts", 7L).containsEntry("threshold", 5)
                .containsEntry("addresses", "{192.0.2.1,2001:db8::9}")
                .containsEntry("delivery", "sent").containsEntry("attempts", 3);
    }

    @Test
    void alertsRecordedWhileTheDatabaseIsUnreachableAreWrittenWhenItReturns() throws Exception {
        Alert alert = alert(Bindings.randomHash());
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432);
                PostgresStores cutOff = PostgresStores.connect(config.toBuilder()
                        .jdbcUrl(config.jdbcUrl().replace(":5432/", ":" + proxy.port() + "/"))
                        .build());
                AlertHistory history = cutOff.alertHistory(100)) {
            proxy.cut();
            assertThat(cutOff.ping()).isFalse();

            history.record(alert, new AlertDelivery(Outcome.NOT_CONFIGURED, 0, ""));
            assertThat(history.pending()).isEqualTo(1);

            proxy.restore();
            assertThat(history.flush(Duration.ofSeconds(20))).isTrue();
        }

        assertThat(rows(alert.tokenHash())).hasSize(1);
    }

    private static Alert alert(TokenHash tokenHash) {
        return new Alert(tokenHash, "sk-ab…wxyz",
                AlertWindow.containing(Bindings.T0, Duration.ofMinutes(5)), 7, 5,
                List.of(IpAddress.of("192.0.2.1"), IpAddress.of("2001:db8::9")), Bindings.T0);
    }

    private static List<Map<String, Object>> rows(TokenHash tokenHash) {
        return stores.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT hint, intercepts, threshold,
                       array(SELECT host(a) FROM unnest(addresses) AS a)::text AS addresses,
                       delivery, attempts
                  FROM alert WHERE token_hash = :hash""")
                .bind("hash", tokenHash.hex())
                .mapToMap()
                .list());
    }
}
