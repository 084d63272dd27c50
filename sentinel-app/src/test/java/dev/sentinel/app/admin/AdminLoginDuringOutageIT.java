package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.Sentinel;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Eventually;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TcpRelay;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A login is an admin action like any other: while PostgreSQL is down its audit row cannot
 * be written, so it gets no token, and the lockout still counts.
 */
class AdminLoginDuringOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aLoginThatCannotBeAuditedGetsNoToken() throws Exception {
        // The login answered 200 with a token and its audit row was only logged as lost.
        try (TcpRelay relay = TcpRelay.start("127.0.0.1", 5432);
                SentinelUnderTest sentinel = SentinelUnderTest.prepare("loginoutage", true,
                        Map.of("LOGIN_MAX_ATTEMPTS", "3")).postgresThrough(relay.port())) {
            Sentinel instance = sentinel.startInstance();
            AdminClient duringOutage = sentinel.admin("127.0.0.3", instance);
            relay.cut();
            assertThat(Eventually.within(WAIT, () -> {
                sentinel.from("127.0.0.9").get("/v1/models", "Authorization: Bearer "
                        + Keys.fresh());
                return sentinel.storeIs(instance, "postgresql", "down");
            })).isTrue();

            Response refused = duringOutage.logIn(sentinel.adminPassword());
            Response wrongOnce = duringOutage.logIn("not the password");
            Response wrongTwice = duringOutage.logIn("not the password");
            Response locked = duringOutage.logIn(sentinel.adminPassword());

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("\"code\":\"store_unavailable\"")
                    .doesNotContain("token");
            assertThat(wrongOnce.status()).isEqualTo(401);
            assertThat(wrongTwice.status()).isEqualTo(401);
            assertThat(locked.status()).isEqualTo(429);

            relay.restore();
            assertThat(Eventually.within(WAIT,
                    () -> sentinel.storeIs(instance, "postgresql", "up"))).isTrue();
            sentinel.admin("127.0.0.4", instance).logIn();
            AdminClient after = sentinel.admin("127.0.0.5", instance).logIn();
            JsonNode audit = json(after.get("/admin/api/audit?action=admin.login"));
            assertThat(audit.get("items").findValuesAsText("adminIp"))
                    .contains("127.0.0.4", "127.0.0.5").doesNotContain("127.0.0.3");
        }
    }
}
