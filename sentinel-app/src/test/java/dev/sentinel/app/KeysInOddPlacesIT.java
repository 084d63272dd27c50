package dev.sentinel.app;

import static dev.sentinel.app.support.AdminClient.json;
import static dev.sentinel.app.support.AdminClient.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.SecretScan;
import dev.sentinel.app.support.SentinelUnderTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys where no key belongs — in headers Sentinel refuses, in admin filters and bodies —
 * reach neither PostgreSQL, Redis nor the log, whatever Sentinel answers.
 *
 * <p>An admin who pasted a whole key into the key filter of an intercept export left it raw
 * in the audit row of the export, and one pasted into a binding's note stayed in the note.
 * Audit rows and notes now keep a hint of anything key-shaped.
 */
class KeysInOddPlacesIT {

    private static final String PROXY = "127.0.61.9";

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("odd_places", Map.of(
                "TRUSTED_PROXY_IPS", PROXY + "/32"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void keysInRefusedHeadersAreNotKept() {
        String key = Keys.fresh();
        String other = Keys.fresh();
        String bearer = "Authorization: Bearer " + key;

        int[] statuses = {
            sentinel.from(PROXY).get("/v1/models", bearer, "X-Real-IP: " + key).status(),
            sentinel.from(PROXY).get("/v1/models", bearer, "X-Real-IP: 198.51.100.1",
                    "X-Real-IP: " + other).status(),
            sentinel.from("127.0.61.1").get("/v1/models", bearer, "Connection: " + key)
                    .status(),
            sentinel.from("127.0.61.1").get("/v1/models", bearer, "x-api-key: " + other)
                    .status(),
            sentinel.from("127.0.61.1").get("/v1/models", "Authorization: Bearer " + key
                    + "!").status(),
            sentinel.from("127.0.61.1").get("/v1/models?key=" + key + "%00").status(),
            sentinel.from("127.0.61.1").get("/v1/models", bearer, "Authorization: Bearer "
                    + other).status(),
        };

        for (int status : statuses) {
            assertThat(status).isBetween(200, 499);
        }
        assertThat(SecretScan.findLeaks(List.of(key, other), sentinel.schema(),
                sentinel.redisPrefix(), LogCapture.text())).isEmpty();
    }

    @Test
    void aKeyPastedIntoABindingsNoteIsKeptAsItsHint() {
        String bound = Keys.fresh();
        String pasted = Keys.fresh();
        assertThat(sentinel.from("127.0.61.3").get("/v1/models", "Authorization: Bearer "
                + bound).status()).isEqualTo(200);
        AdminClient admin = sentinel.admin();
        String hash = json(admin.post("/admin/api/keys/lookup", "{\"key\":" + quote(bound)
                + "}")).get("tokenHash").asText();

        JsonNode noted = json(admin.put("/admin/api/bindings/" + hash + "/note",
                "{\"note\":" + quote("customer sent " + pasted + " by mail") + "}"));

        assertThat(noted.get("note").asText()).isEqualTo("customer sent "
                + FirstUseIT.hint(pasted) + " by mail");
        assertThat(SecretScan.findLeaks(List.of(pasted), sentinel.schema(),
                sentinel.redisPrefix(), LogCapture.text())).isEmpty();
    }

    @Test
    void aKeyPastedIntoAnExportFilterOrAnyAdminInputIsNotKept() {
        String key = Keys.fresh();
        AdminClient admin = sentinel.admin();
        String asQuery = URLEncoder.encode(key, StandardCharsets.UTF_8);

        admin.get("/admin/api/intercepts?hint=" + asQuery);
        admin.get("/admin/api/intercepts/export?hint=" + asQuery);
        admin.get("/admin/api/bindings?hint=" + asQuery);
        admin.get("/admin/api/bindings?hashPrefix=" + asQuery);
        admin.get("/admin/api/audit?action=" + asQuery);
        admin.post("/admin/api/keys/lookup", "{\"key\":" + quote(key + "!") + "}");
        admin.post("/admin/api/keys/lookup", "{" + quote(key) + ":1}");
        admin.post("/admin/api/keys/bind", "{\"key\":" + quote(key) + ",\"rules\":["
                + quote(key) + "]}");
        admin.patch("/admin/api/settings", "{\"failsafeMode\":" + quote(key) + "}");
        admin.delete("/admin/api/settings/" + key);
        admin.get("/admin/api/bindings/" + key);
        sentinel.admin("127.0.61.2", sentinel.sentinel()).logIn(key);

        assertThat(SecretScan.findLeaks(List.of(key), sentinel.schema(),
                sentinel.redisPrefix(), LogCapture.text())).isEmpty();
        assertThat(sentinel.queryInt("SELECT count(*) FROM " + sentinel.schema()
                + ".admin_audit WHERE action = 'intercepts.exported' AND detail = 'hint="
                + FirstUseIT.hint(key) + "'")).isEqualTo(1);
    }
}
