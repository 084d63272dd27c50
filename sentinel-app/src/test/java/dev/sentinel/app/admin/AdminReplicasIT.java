package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.assertError;
import static dev.sentinel.app.support.AdminClient.json;
import static dev.sentinel.app.support.AdminClient.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.Sentinel;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.SentinelUnderTest;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one PostgreSQL and one Redis: what an admin changes through one is
 * enforced by the other within a second (the cache entry is deleted and the eviction
 * announced), settings changed through one apply on the other, and a login lockout holds
 * on both.
 */
class AdminReplicasIT {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    private static SentinelUnderTest sentinel;
    private static Sentinel one;
    private static Sentinel two;
    private static AdminClient adminOnOne;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("admin_replicas", Map.of());
        one = sentinel.sentinel();
        two = sentinel.startInstance();
        adminOnOne = sentinel.admin("127.0.0.1", one).logIn();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void aRuleChangeThroughOneReplicaIsEnforcedByTheOtherWithinASecond() {
        String key = warmOnTwo("127.0.40.1");

        assertThat(adminOnOne.put("/admin/api/bindings/" + hashOf(key) + "/rules",
                "{\"rules\":[\"127.0.40.2/32\"]}").status()).isEqualTo(200);

        assertWithin(() -> useOnTwo(key, "127.0.40.2"), 200);
        assertThat(useOnTwo(key, "127.0.40.1")).isEqualTo(403);
    }

    @Test
    void anUnbindThroughOneReplicaLetsTheOtherBindAgainWithinASecond() {
        String key = warmOnTwo("127.0.41.1");
        assertThat(useOnTwo(key, "127.0.41.2")).isEqualTo(403);

        assertThat(adminOnOne.delete("/admin/api/bindings/" + hashOf(key)).status())
                .isEqualTo(200);

        assertWithin(() -> useOnTwo(key, "127.0.41.2"), 200);
        assertThat(useOnTwo(key, "127.0.41.1")).isEqualTo(403);
    }

    @Test
    void aBanThroughOneReplicaStopsTheKeyOnTheOtherWithinASecond() {
        String key = warmOnTwo("127.0.42.1");

        assertThat(adminOnOne.post("/admin/api/bindings/" + hashOf(key) + "/ban", null)
                .status()).isEqualTo(200);

        assertWithin(() -> useOnTwo(key, "127.0.42.1"), 403);
    }

    @Test
    void aSettingsChangeThroughOneReplicaChangesTheOthersBehaviour() {
        assertThat(adminOnOne.patch("/admin/api/settings", "{\"bindPrefixV4\":24}").status())
                .isEqualTo(200);
        try {
            AdminClient adminOnTwo = sentinel.admin("127.0.0.1", two).logIn();
            assertWithin(() -> json(adminOnTwo.get("/admin/api/settings")).get("settings")
                    .get("bindPrefixV4").get("value").asInt(), 24);

            String key = Keys.fresh();
            assertThat(useOnTwo(key, "127.0.43.1")).isEqualTo(200);

            assertThat(sentinel.rulesByHint(hintOf(key))).containsExactly("127.0.43.0/24");
            assertThat(useOnTwo(key, "127.0.43.77")).isEqualTo(200);
        } finally {
            adminOnOne.delete("/admin/api/settings/bindPrefixV4");
        }
    }

    @Test
    void aLockoutOnOneReplicaHoldsOnTheOther() {
        AdminClient guesserOnOne = sentinel.admin("127.0.44.1", one);
        for (int i = 0; i < 5; i++) {
            assertError(guesserOnOne.logIn("guess-" + i), 401, "invalid_password");
        }

        assertError(sentinel.admin("127.0.44.1", two).logIn(sentinel.adminPassword()), 429,
                "login_locked");
        assertThat(sentinel.admin("127.0.44.2", two).logIn(sentinel.adminPassword())
                .status()).isEqualTo(200);
    }

    /** Binds a key through replica two and uses it again, so both cache tiers hold it. */
    private static String warmOnTwo(String address) {
        String key = Keys.fresh();
        assertThat(useOnTwo(key, address)).isEqualTo(200);
        assertThat(useOnTwo(key, address)).isEqualTo(200);
        return key;
    }

    private static int useOnTwo(String key, String address) {
        return sentinel.from(address, two).get("/v1/models", "Authorization: Bearer " + key)
                .status();
    }

    private static String hashOf(String key) {
        return json(adminOnOne.post("/admin/api/keys/lookup", "{\"key\":" + quote(key) + "}"))
                .get("tokenHash").asText();
    }

    /** Polls until the value is seen; fails when a second has passed without it. */
    private static void assertWithin(IntSupplier probe, int expected) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        int seen = probe.getAsInt();
        while (seen != expected && System.nanoTime() < deadline) {
            seen = probe.getAsInt();
        }
        assertThat(seen).as("value seen within %s", WITHIN).isEqualTo(expected);
    }

    private static String hintOf(String key) {
        String body = Keys.body(key);
        return "sk-" + body.substring(0, 2) + "…" + body.substring(body.length() - 4);
    }
}
