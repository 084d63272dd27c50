package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.assertError;
import static dev.sentinel.app.support.AdminClient.json;
import static dev.sentinel.app.support.AdminClient.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The intercept log as admins read it: filtered pages, a CSV export streamed from the
 * database and safe to open in a spreadsheet, and the dashboard's counts.
 */
class AdminInterceptsIT {

    private static final String FORMULA = "=HYPERLINK(\"http://evil.test\",\"click\")";

    private static SentinelUnderTest sentinel;
    private static AdminClient admin;
    private static String outsideKey;
    private static String bannedKey;
    private static String outsideHash;
    private static String bannedHash;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("admin_intercepts", Map.of());
        admin = sentinel.admin();
        outsideKey = Keys.fresh();
        bannedKey = Keys.fresh();
        use(outsideKey, "127.0.20.1", "curl/8");
        use(bannedKey, "127.0.20.1", "curl/8");
        outsideHash = hashOf(outsideKey);
        bannedHash = hashOf(bannedKey);
        admin.post("/admin/api/bindings/" + bannedHash + "/ban", null);

        assertThat(use(outsideKey, "127.0.20.2", FORMULA)).isEqualTo(403);
        assertThat(use(outsideKey, "127.0.21.5", "curl/8")).isEqualTo(403);
        assertThat(use(bannedKey, "127.0.20.1", "curl/8")).isEqualTo(403);
        awaitTotal("", 3);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void interceptsAreListedNewestFirstWithWhatWasStopped() {
        JsonNode page = json(admin.get("/admin/api/intercepts?hashPrefix="
                + outsideHash.substring(0, 16)));

        assertThat(page.get("total").asLong()).isEqualTo(2);
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("clientIp").asText()).isEqualTo("127.0.21.5");
        assertThat(page.get("items").get(1).get("clientIp").asText()).isEqualTo("127.0.20.2");
        assertThat(newest.get("tokenHash").asText()).isEqualTo(outsideHash);
        assertThat(newest.get("boundRules").get(0).asText()).isEqualTo("127.0.20.1/32");
        assertThat(newest.get("method").asText()).isEqualTo("GET");
        assertThat(newest.get("path").asText()).isEqualTo("/v1/models");
        assertThat(newest.get("reason").asText()).isEqualTo("outside_bound_networks");
        assertThat(Instant.parse(newest.get("at").asText())).isBefore(Instant.now());
    }

    @Test
    void interceptsAreFilteredByKeyAddressReasonAndTime() {
        String hint = json(admin.get("/admin/api/bindings/" + bannedHash)).get("hint").asText();
        String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();
        String yesterday = Instant.now().minus(Duration.ofDays(1)).toString();

        assertThat(total("reason=banned")).isEqualTo(1);
        assertThat(total("reason=outside_bound_networks")).isEqualTo(2);
        assertThat(total("ip=127.0.20.2")).isEqualTo(1);
        assertThat(total("ip=127.0.20.0/24")).isEqualTo(2);
        assertThat(total("ip=127.0.0.0/8&reason=banned")).isEqualTo(1);
        assertThat(total("hint=" + hint.substring(hint.length() - 4))).isGreaterThanOrEqualTo(1);
        assertThat(total("from=" + yesterday + "&to=" + tomorrow)).isEqualTo(3);
        assertThat(total("from=" + tomorrow)).isZero();
        assertThat(total("to=" + yesterday)).isZero();
        JsonNode second = json(admin.get("/admin/api/intercepts?size=1&page=2"));
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("total").asLong()).isEqualTo(3);
    }

    @Test
    void badFiltersAreBadRequests() {
        assertError(admin.get("/admin/api/intercepts?from=yesterday"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/intercepts?from=2024-05-01T10:00:00Z"
                + "&to=2024-05-01T09:00:00Z"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/intercepts?reason=stolen"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/intercepts?ip=127.0.20.1/24"), 400, "invalid_cidr");
        assertError(admin.get("/admin/api/intercepts?size=1000"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/intercepts/export?page=1"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/intercepts/export?from=x"), 400, "invalid_parameter");
    }

    @Test
    void theExportIsAStreamedCsvWithFormulasDefused() {
        Response csv = admin.get("/admin/api/intercepts/export?hashPrefix=" + outsideHash);

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("content-type")).startsWith("text/csv");
        assertThat(csv.header("content-disposition")).startsWith("attachment; filename=");
        assertThat(csv.header("transfer-encoding")).isEqualTo("chunked");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("id,at,tokenHash,hint,clientIp,boundRules,method,"
                + "path,userAgent,reason");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains(outsideHash).contains("127.0.20.2")
                .contains("\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"click\"\")\"")
                .endsWith("outside_bound_networks");
        assertThat(lines.get(1)).contains("127.0.21.5").contains(",curl/8,");
        JsonNode audit = json(admin.get("/admin/api/audit?action=intercepts.exported"));
        assertThat(audit.get("total").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aLargeExportArrivesWhole() {
        int rows = 20_000;
        sentinel.queryInt("WITH inserted AS (INSERT INTO " + sentinel.schema() + ".intercept_log "
                + "(at, token_hash, hint, client_ip, bound_rules, method, path, user_agent, "
                + "reason) SELECT timestamptz '2020-01-01 00:00:00Z' - n * interval '1 second', "
                + "repeat('e', 64), "
                + "'sk-bulk…', ('192.0.2.' || (n % 250))::inet, '{192.0.2.0/32}', 'POST', "
                + "'/v1/chat/completions', '-cmd|calc', 'outside_bound_networks' "
                + "FROM generate_series(1, " + rows + ") AS n RETURNING 1) "
                + "SELECT count(*) FROM inserted");

        try {
            Response csv = admin.get("/admin/api/intercepts/export?hashPrefix=eeee");

            List<String> lines = csv.body().lines().toList();
            assertThat(lines).hasSize(rows + 1);
            assertThat(lines.get(1)).contains(",'-cmd|calc,");
            assertThat(total("hashPrefix=eeee&ip=192.0.2.7")).isEqualTo(80);
        } finally {
            sentinel.queryInt("WITH gone AS (DELETE FROM " + sentinel.schema()
                    + ".intercept_log WHERE hint = 'sk-bulk…' RETURNING 1) "
                    + "SELECT count(*) FROM gone");
        }
    }

    @Test
    void theDashboardCountsBindingsInterceptsAndShowsTheStores() {
        JsonNode dashboard = json(admin.get("/admin/api/dashboard"));

        assertThat(dashboard.get("bindings").get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(dashboard.get("bindings").get("banned").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode hours = dashboard.get("interceptsPerHour");
        assertThat(hours).hasSize(24);
        Instant lastHour = Instant.parse(hours.get(23).get("hour").asText());
        assertThat(lastHour).isBeforeOrEqualTo(Instant.now())
                .isAfter(Instant.now().minus(Duration.ofHours(1)));
        long counted = 0;
        for (JsonNode hour : hours) {
            counted += hour.get("count").asLong();
        }
        assertThat(counted).isGreaterThanOrEqualTo(3);
        assertThat(dashboard.get("topKeys").findValuesAsText("tokenHash")).contains(outsideHash);
        assertThat(dashboard.get("topIps").findValuesAsText("ip")).contains("127.0.20.2");
        assertThat(dashboard.get("stores").get("postgresql").asText()).isEqualTo("up");
        assertThat(dashboard.get("stores").get("redis").asText()).isEqualTo("up");
        assertThat(dashboard.get("interceptLog").get("dropped").asLong()).isZero();
        assertError(admin.get("/admin/api/dashboard?hours=48"), 400, "invalid_parameter");
    }

    private static int use(String key, String address, String userAgent) {
        return sentinel.from(address).get("/v1/models", "Authorization: Bearer " + key,
                "User-Agent: " + userAgent).status();
    }

    private static String hashOf(String key) {
        return json(admin.post("/admin/api/keys/lookup", "{\"key\":" + quote(key) + "}"))
                .get("tokenHash").asText();
    }

    private static long total(String query) {
        Response response = admin.get("/admin/api/intercepts?" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return json(response).get("total").asLong();
    }

    /** The intercept log writes in the background; wait for the rows, with a deadline. */
    private static void awaitTotal(String query, long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (total(query) < expected) {
            assertThat(System.nanoTime()).as("intercept rows within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
