package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.assertError;
import static dev.sentinel.app.support.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.SentinelUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live settings: the environment gives the first values, an admin's validated change is
 * stored and in force at once, the API says where each value comes from, and a reset
 * brings the environment's value back.
 */
class AdminSettingsIT {

    private static SentinelUnderTest sentinel;
    private static AdminClient admin;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("admin_settings", Map.of(
                "ALERT_THRESHOLD_COUNT", "7",
                "ALERT_WEBHOOK_FORMAT", "slack"));
        admin = sentinel.admin();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void everySettingShowsItsValueAndSource() {
        JsonNode settings = json(admin.get("/admin/api/settings")).get("settings");

        assertThat(settings.size()).isEqualTo(9);
        assertThat(settings.get("alertThresholdCount").get("value").asInt()).isEqualTo(7);
        assertThat(settings.get("alertThresholdCount").get("source").asText())
                .isEqualTo("environment");
        assertThat(settings.get("alertThresholdCount").get("variable").asText())
                .isEqualTo("ALERT_THRESHOLD_COUNT");
        assertThat(settings.get("alertWebhookFormat").get("value").asText()).isEqualTo("slack");
        assertThat(settings.get("alertWebhookUrl").get("value").isNull()).isTrue();
        assertThat(settings.get("failsafeMode").get("value").asText()).isEqualTo("closed");
        assertThat(settings.get("bindPrefixV4").get("value").asInt()).isEqualTo(32);
        assertThat(settings.get("bindPrefixV6").get("value").asInt()).isEqualTo(64);
        assertThat(settings.get("archiveDays").get("value").asInt()).isEqualTo(30);
        assertThat(settings.get("alertWindowSeconds").get("value").asInt()).isEqualTo(300);
        assertThat(settings.get("bindRatePerIp").get("expected").asText()).contains("0");
    }

    @Test
    void aChangeIsStoredAppliedAtOnceAndResettable() {
        JsonNode changed = json(admin.patch("/admin/api/settings",
                "{\"bindPrefixV4\":24,\"alertWebhookUrl\":\"https://hooks.example/T0/abc\","
                        + "\"alertWebhookFormat\":\"DingTalk\"}")).get("settings");
        String key = Keys.fresh();
        int first = sentinel.from("127.0.30.1").get("/v1/models", "Authorization: Bearer "
                + key).status();
        int neighbour = sentinel.from("127.0.30.200").get("/v1/models",
                "Authorization: Bearer " + key).status();

        assertThat(changed.get("bindPrefixV4").get("value").asInt()).isEqualTo(24);
        assertThat(changed.get("bindPrefixV4").get("source").asText()).isEqualTo("admin");
        assertThat(changed.get("bindPrefixV4").get("environmentValue").asInt()).isEqualTo(32);
        assertThat(changed.get("alertWebhookFormat").get("value").asText())
                .isEqualTo("dingtalk");
        assertThat(changed.get("alertWebhookUrl").get("value").asText())
                .isEqualTo("https://hooks.example/T0/abc");
        assertThat(first).isEqualTo(200);
        assertThat(neighbour).isEqualTo(200);
        assertThat(sentinel.rulesByHint(hintOf(key))).containsExactly("127.0.30.0/24");
        assertThat(sentinel.queryInt("SELECT count(*) FROM " + sentinel.schema()
                + ".admin_setting WHERE name = 'BIND_PREFIX_V4' AND value = '24'"))
                .isEqualTo(1);
        JsonNode audit = json(admin.get("/admin/api/audit?action=settings.changed"))
                .get("items").get(0);
        assertThat(audit.get("detail").asText()).contains("bindPrefixV4=24")
                .contains("alertWebhookUrl=(changed)").doesNotContain("abc");

        JsonNode reset = json(admin.delete("/admin/api/settings/bindPrefixV4")).get("settings");
        admin.patch("/admin/api/settings", "{\"alertWebhookUrl\":null}");

        assertThat(reset.get("bindPrefixV4").get("value").asInt()).isEqualTo(32);
        assertThat(reset.get("bindPrefixV4").get("source").asText()).isEqualTo("environment");
        JsonNode cleared = json(admin.get("/admin/api/settings")).get("settings");
        assertThat(cleared.get("alertWebhookUrl").get("value").isNull()).isTrue();
        assertThat(cleared.get("alertWebhookUrl").get("source").asText()).isEqualTo("admin");
        admin.delete("/admin/api/settings/alertWebhookUrl");
        admin.delete("/admin/api/settings/alertWebhookFormat");
    }

    @Test
    void theNewBindingLimitAppliesToTheNextRequest() {
        admin.patch("/admin/api/settings", "{\"bindRatePerIp\":1}");
        try {
            int first = sentinel.from("127.0.31.1").get("/v1/models",
                    "Authorization: Bearer " + Keys.fresh()).status();
            int second = sentinel.from("127.0.31.1").get("/v1/models",
                    "Authorization: Bearer " + Keys.fresh()).status();

            assertThat(first).isEqualTo(200);
            assertThat(second).isEqualTo(429);
        } finally {
            admin.delete("/admin/api/settings/bindRatePerIp");
        }
    }

    @Test
    void invalidChangesNameTheSettingTheValueAndTheExpectationAndChangeNothing() {
        String message = assertError(admin.patch("/admin/api/settings",
                "{\"archiveDays\":5,\"failsafeMode\":\"ajar\"}"), 400, "invalid_setting");
        assertThat(message).contains("failsafeMode").contains("ajar").contains("closed or open");
        assertThat(json(admin.get("/admin/api/settings")).get("settings").get("archiveDays")
                .get("source").asText()).isEqualTo("environment");

        assertError(admin.patch("/admin/api/settings", "{\"bindPrefixV4\":33}"), 400,
                "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"bindPrefixV6\":-1}"), 400,
                "invalid_setting");
        // At /0 every key bound to everywhere: binding silently switched off.
        assertThat(assertError(admin.patch("/admin/api/settings", "{\"bindPrefixV4\":0}"), 400,
                "invalid_setting")).contains("from 8 to 32");
        assertError(admin.patch("/admin/api/settings", "{\"alertThresholdCount\":0}"), 400,
                "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"alertThresholdCount\":\"9\"}"), 400,
                "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"alertWindowSeconds\":1.5}"), 400,
                "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"archiveDays\":99999999999}"), 400,
                "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"alertWebhookUrl\":\"ftp://x\"}"),
                400, "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"alertWebhookFormat\":\"teams\"}"),
                400, "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"failsafeMode\":null}"), 400,
                "invalid_setting");
        assertError(admin.patch("/admin/api/settings", "{\"cacheTtlSeconds\":5}"), 400,
                "unknown_setting");
        assertError(admin.patch("/admin/api/settings", "{}"), 400, "invalid_request");
        assertError(admin.patch("/admin/api/settings", "{\"failsafeMode\":"), 400,
                "invalid_json");
        assertError(admin.delete("/admin/api/settings/cacheTtlSeconds"), 404, "not_found");
        assertThat(sentinel.queryInt("SELECT count(*) FROM " + sentinel.schema()
                + ".admin_setting WHERE name IN ('ARCHIVE_DAYS', 'BIND_PREFIX_V6')")).isZero();
    }

    @Test
    void aStoredChangeOutlivesARestart() {
        admin.patch("/admin/api/settings", "{\"archiveDays\":90}");
        try (var restarted = sentinel.startInstance()) {
            JsonNode settings = json(sentinel.admin("127.0.0.1", restarted).logIn()
                    .get("/admin/api/settings")).get("settings");
            assertThat(settings.get("archiveDays").get("value").asInt()).isEqualTo(90);
            assertThat(settings.get("archiveDays").get("source").asText()).isEqualTo("admin");
        } finally {
            admin.delete("/admin/api/settings/archiveDays");
        }
    }

    private static String hintOf(String key) {
        String body = Keys.body(key);
        return "sk-" + body.substring(0, 2) + "…" + body.substring(body.length() - 4);
    }
}
