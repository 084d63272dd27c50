package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.assertError;
import static dev.sentinel.app.support.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.Sentinel;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.SentinelUnderTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without Redis: the lockout counts in-process, the dashboard says Redis is absent, and a
 * replica that shares only PostgreSQL picks up a settings change on its reload timer.
 */
class AdminWithoutRedisIT {

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.startWithoutRedis("admin_noredis",
                Map.of("LOGIN_MAX_ATTEMPTS", "2"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void theDashboardShowsRedisAbsent() {
        JsonNode stores = json(sentinel.admin().get("/admin/api/dashboard")).get("stores");

        assertThat(stores.get("postgresql").asText()).isEqualTo("up");
        assertThat(stores.get("redis").asText()).isEqualTo("absent");
    }

    @Test
    void theLockoutCountsInProcess() {
        AdminClient guesser = sentinel.admin("127.0.50.1", sentinel.sentinel());
        assertError(guesser.logIn("a-guess"), 401, "invalid_password");
        assertError(guesser.logIn("b-guess"), 401, "invalid_password");

        assertError(guesser.logIn(sentinel.adminPassword()), 429, "login_locked");
    }

    @Test
    void aReplicaSharingOnlyPostgresqlPicksUpASettingsChangeOnItsTimer() {
        Sentinel other = sentinel.startInstance();
        AdminClient adminOnOther = sentinel.admin("127.0.0.1", other).logIn();

        sentinel.admin().patch("/admin/api/settings", "{\"failsafeMode\":\"open\"}");

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String mode = "";
        while (!mode.equals("open") && System.nanoTime() < deadline) {
            mode = json(adminOnOther.get("/admin/api/settings")).get("settings")
                    .get("failsafeMode").get("value").asText();
        }
        assertThat(mode).as("failsafe mode on the other replica within 15 s").isEqualTo("open");
    }
}
