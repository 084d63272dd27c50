package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.assertError;
import static dev.sentinel.app.support.AdminClient.json;
import static dev.sentinel.app.support.AdminClient.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Eventually;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admins list, search and change bindings over real HTTP; each change is enforced on the
 * next request, audited, and a pasted key never comes back in an answer.
 */
class AdminBindingsIT {

    private static SentinelUnderTest sentinel;
    private static AdminClient admin;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("admin_bindings", Map.of());
        admin = sentinel.admin();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void bindingsAreListedNewestFirstInPages() {
        String first = boundFrom("127.0.1.1");
        String second = boundFrom("127.0.1.2");
        String third = boundFrom("127.0.1.3");

        JsonNode page1 = json(admin.get("/admin/api/bindings?size=2&page=1&ip=127.0.1.0"));
        JsonNode all = json(admin.get("/admin/api/bindings?size=200"));

        assertThat(page1.get("size").asInt()).isEqualTo(2);
        assertThat(page1.get("page").asInt()).isEqualTo(1);
        assertThat(all.get("total").asLong()).isGreaterThanOrEqualTo(3);
        List<String> hashes = all.get("items").findValuesAsText("tokenHash");
        assertThat(hashes).containsSubsequence(hashOf(third), hashOf(second), hashOf(first));
        JsonNode item = all.get("items").get(hashes.indexOf(hashOf(third)));
        assertThat(item.get("hint").asText()).startsWith("sk-").contains("…");
        assertThat(item.get("rules").get(0).asText()).isEqualTo("127.0.1.3/32");
        assertThat(item.get("status").asText()).isEqualTo("active");
        assertThat(item.get("rulesSetByAdmin").asBoolean()).isFalse();
        assertThat(item.get("boundAt").asText()).endsWith("Z");
        assertThat(item.get("revision").asLong()).isZero();
    }

    @Test
    void pagingOutOfRangeAndUnknownParametersAreBadRequests() {
        assertError(admin.get("/admin/api/bindings?size=0"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?size=201"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?page=0"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?page=-1"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?page=abc"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?page=99999999999"), 400,
                "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?pageSize=10"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?size=1&size=2"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?status=gone"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?hashPrefix=xyz"), 400, "invalid_parameter");
        assertError(admin.get("/admin/api/bindings?ip=10.0.0.0/8"), 400, "invalid_ip");
        assertError(admin.get("/admin/api/bindings?ip=010.0.0.1"), 400, "invalid_ip");
        JsonNode beyond = json(admin.get("/admin/api/bindings?page=1000000&size=200"));
        assertThat(beyond.get("items")).isEmpty();
    }

    @Test
    void bindingsAreFoundByHintHashPrefixStatusAndContainedAddress() {
        String key = boundFrom("127.0.2.1");
        String hash = hashOf(key);
        String hint = json(admin.get("/admin/api/bindings/" + hash)).get("hint").asText();
        assertThat(admin.put("/admin/api/bindings/" + hash + "/rules",
                "{\"rules\":[\"10.20.0.0/16\",\"2001:db8::/32\"]}").status()).isEqualTo(200);
        assertThat(admin.post("/admin/api/bindings/" + hash + "/ban", null).status())
                .isEqualTo(200);

        assertThat(hashes("hint=" + urlPart(hint.substring(hint.length() - 4)))).contains(hash);
        assertThat(hashes("hashPrefix=" + hash.substring(0, 10).toUpperCase())).containsExactly(
                hash);
        assertThat(hashes("status=banned")).contains(hash);
        assertThat(hashes("status=active")).doesNotContain(hash);
        // Other tests' unrestricted keys contain every address too.
        assertThat(hashes("ip=10.20.30.40")).contains(hash);
        assertThat(hashes("ip=2001:db8:1::5")).contains(hash);
        assertThat(hashes("ip=::ffff:10.20.0.1")).contains(hash);
        assertThat(hashes("ip=10.21.0.1")).doesNotContain(hash);
        assertThat(hashes("ip=2001:db9::1")).doesNotContain(hash);
        assertThat(hashes("ip=10.20.30.40&status=active")).doesNotContain(hash);
    }

    @Test
    void detailAnswersAKnownHashAndRefusesUnknownOrMalformedOnes() {
        String key = boundFrom("127.0.3.1");

        Response found = admin.get("/admin/api/bindings/" + hashOf(key).toUpperCase());

        assertThat(found.status()).isEqualTo(200);
        assertThat(json(found).get("tokenHash").asText()).isEqualTo(hashOf(key));
        assertError(admin.get("/admin/api/bindings/" + "0".repeat(64)), 404, "not_found");
        assertError(admin.get("/admin/api/bindings/not-a-hash"), 400, "invalid_parameter");
        for (String action : List.of("ban", "unban")) {
            assertError(admin.post("/admin/api/bindings/" + "0".repeat(64) + "/" + action,
                    null), 404, "not_found");
        }
        assertError(admin.put("/admin/api/bindings/" + "0".repeat(64) + "/rules",
                "{\"rules\":[\"10.0.0.0/8\"]}"), 404, "not_found");
        assertError(admin.put("/admin/api/bindings/" + "0".repeat(64) + "/note",
                "{\"note\":\"x\"}"), 404, "not_found");
        assertError(admin.delete("/admin/api/bindings/" + "0".repeat(64)), 404, "not_found");
    }

    @Test
    void replacedRulesAreEnforcedOnTheNextRequest() {
        String key = boundFrom("127.0.4.1");
        String hash = hashOf(key);

        Response replaced = admin.put("/admin/api/bindings/" + hash + "/rules",
                "{\"rules\":[\"127.0.4.0/30\", \"127.0.5.7\", \"127.0.5.7/32\"]}");

        assertThat(replaced.status()).isEqualTo(200);
        JsonNode binding = json(replaced);
        assertThat(binding.get("rules").findValuesAsText("")).isEmpty();
        assertThat(texts(binding.get("rules"))).containsExactly("127.0.4.0/30", "127.0.5.7/32");
        assertThat(binding.get("rulesSetByAdmin").asBoolean()).isTrue();
        assertThat(binding.get("revision").asLong()).isEqualTo(1);
        assertThat(use(key, "127.0.4.2")).isEqualTo(200);
        assertThat(use(key, "127.0.5.7")).isEqualTo(200);
        assertThat(use(key, "127.0.4.1")).isEqualTo(200);
        assertThat(use(key, "127.0.4.4")).isEqualTo(403);
    }

    @Test
    void anUnrestrictedKeyIsUsableFromAnywhere() {
        String key = boundFrom("127.0.6.1");

        assertThat(admin.put("/admin/api/bindings/" + hashOf(key) + "/rules",
                "{\"rules\":[\"0.0.0.0/0\",\"::/0\"]}").status()).isEqualTo(200);

        assertThat(use(key, "127.0.6.2")).isEqualTo(200);
        assertThat(use(key, "127.99.1.1")).isEqualTo(200);
    }

    @Test
    void badRuleBodiesAreRefusedAndChangeNothing() {
        String key = boundFrom("127.0.7.1");
        String path = "/admin/api/bindings/" + hashOf(key) + "/rules";
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            many.add(quote("10.0." + i + ".0/24"));
        }

        assertError(admin.put(path, "{\"rules\":[\"10.0.0.1/24\"]}"), 400, "invalid_cidr");
        assertError(admin.put(path, "{\"rules\":[\"10.0.0.0/33\"]}"), 400, "invalid_cidr");
        assertError(admin.put(path, "{\"rules\":[\"example.com\"]}"), 400, "invalid_cidr");
        assertError(admin.put(path, "{\"rules\":[\"010.0.0.0/8\"]}"), 400, "invalid_cidr");
        assertError(admin.put(path, "{\"rules\":[\"" + "1".repeat(100) + "\"]}"), 400,
                "invalid_cidr");
        assertError(admin.put(path, "{\"rules\":[]}"), 400, "invalid_request");
        assertError(admin.put(path, "{\"rules\":[" + String.join(",", many) + "]}"), 400,
                "invalid_request");
        assertError(admin.put(path, "{\"rules\":\"10.0.0.0/8\"}"), 400, "invalid_request");
        assertError(admin.put(path, "{\"rules\":[8]}"), 400, "invalid_request");
        assertError(admin.put(path, "{\"rules\":[\"10.0.0.0/8\"],\"extra\":1}"), 400,
                "invalid_request");
        assertError(admin.put(path, "{\"rules\":[\"10.0.0.0/8\""), 400, "invalid_json");
        assertError(admin.put(path, null), 400, "invalid_json");
        assertError(admin.put(path, "{\"rules\":[\"" + "x".repeat(70_000) + "\"]}"), 413,
                "request_too_large");

        String message = assertError(admin.put(path, "{\"rules\":[\"10.0.0.0/8\","
                + "\"192.0.2.1/24\"]}"), 400, "invalid_cidr");
        assertThat(message).contains("rules[1]").contains("192.0.2.1/24")
                .contains("192.0.2.0/24");
        assertThat(json(admin.get("/admin/api/bindings/" + hashOf(key))).get("revision")
                .asLong()).isZero();
    }

    @Test
    void aBannedKeyIsStoppedEverywhereUntilUnbanned() {
        String key = boundFrom("127.0.8.1");
        String hash = hashOf(key);

        JsonNode banned = json(admin.post("/admin/api/bindings/" + hash + "/ban", null));
        int whileBanned = use(key, "127.0.8.1");
        JsonNode unbanned = json(admin.post("/admin/api/bindings/" + hash + "/unban", null));

        assertThat(banned.get("status").asText()).isEqualTo("banned");
        assertThat(whileBanned).isEqualTo(403);
        assertThat(unbanned.get("status").asText()).isEqualTo("active");
        assertThat(unbanned.get("revision").asLong()).isEqualTo(2);
        assertThat(use(key, "127.0.8.1")).isEqualTo(200);
    }

    @Test
    void aNoteIsKeptAndATooLongOneRefused() {
        String hash = hashOf(boundFrom("127.0.9.1"));
        String path = "/admin/api/bindings/" + hash + "/note";

        JsonNode noted = json(admin.put(path, "{\"note\":\"team A, 工作站 <b>\"}"));

        assertThat(noted.get("note").asText()).isEqualTo("team A, 工作站 <b>");
        assertError(admin.put(path, "{\"note\":\"" + "n".repeat(2001) + "\"}"), 400,
                "invalid_request");
        assertError(admin.put(path, "{}"), 400, "invalid_request");
        assertError(admin.put(path, "{\"note\":7}"), 400, "invalid_request");
        assertThat(json(admin.put(path, "{\"note\":\"\"}")).get("note").asText()).isEmpty();
    }

    @Test
    void anUnboundKeyBindsAgainOnItsNextUse() {
        String key = boundFrom("127.0.10.1");
        String hash = hashOf(key);

        JsonNode gone = json(admin.delete("/admin/api/bindings/" + hash));
        int fromElsewhere = use(key, "127.0.10.2");

        assertThat(texts(gone.get("rules"))).containsExactly("127.0.10.1/32");
        assertThat(fromElsewhere).isEqualTo(200);
        assertThat(texts(json(admin.get("/admin/api/bindings/" + hash)).get("rules")))
                .containsExactly("127.0.10.2/32");
        assertThat(use(key, "127.0.10.1")).isEqualTo(403);
    }

    @Test
    void aPastedKeyIsLookedUpPreBoundAndUnboundWithoutEverComingBack() {
        String key = Keys.fresh();
        String body = "{\"key\":" + quote(key) + "}";

        Response before = admin.post("/admin/api/keys/lookup", body);
        Response bound = admin.post("/admin/api/keys/bind", "{\"key\":" + quote(key)
                + ",\"rules\":[\"127.0.11.0/24\"],\"note\":\"issued to ops\"}");
        Response again = admin.post("/admin/api/keys/bind", "{\"key\":" + quote(key)
                + ",\"rules\":[\"127.0.12.0/24\"]}");
        Response after = admin.post("/admin/api/keys/lookup", body);
        int inside = use(key, "127.0.11.9");
        int outside = use(key, "127.0.12.9");
        Response unbound = admin.post("/admin/api/keys/unbind", body);
        Response unboundTwice = admin.post("/admin/api/keys/unbind", body);

        assertThat(json(before).get("bound").asBoolean()).isFalse();
        assertThat(json(before).get("binding").isNull()).isTrue();
        assertThat(bound.status()).isEqualTo(201);
        assertThat(json(bound).get("rulesSetByAdmin").asBoolean()).isTrue();
        assertThat(json(bound).get("note").asText()).isEqualTo("issued to ops");
        assertError(again, 409, "already_bound");
        assertThat(json(after).get("bound").asBoolean()).isTrue();
        assertThat(json(after).get("tokenHash").asText())
                .isEqualTo(json(bound).get("tokenHash").asText());
        assertThat(inside).isEqualTo(200);
        assertThat(outside).isEqualTo(403);
        assertThat(unbound.status()).isEqualTo(200);
        assertError(unboundTwice, 404, "not_found");
        for (Response response : List.of(before, bound, again, after, unbound, unboundTwice)) {
            assertThat(response.body()).doesNotContain(Keys.body(key))
                    .doesNotContain(Keys.body(key).toLowerCase());
        }
    }

    @Test
    void aKeyBoundAheadOfUseShowsNoLastAddressUntilItsFirstUse() {
        // The rule's network address (127.0.14.0) was shown as if the key had been used.
        String key = Keys.fresh();
        Response bound = admin.post("/admin/api/keys/bind", "{\"key\":" + quote(key)
                + ",\"rules\":[\"127.0.14.0/24\"]}");
        String path = "/admin/api/bindings/" + json(bound).get("tokenHash").asText();

        assertThat(bound.status()).isEqualTo(201);
        assertThat(json(bound).path("lastIp").isMissingNode()
                || json(bound).path("lastIp").isNull()).as(bound.body()).isTrue();
        assertThat(json(admin.get(path)).path("lastIp").asText("")).isEmpty();
        assertThat(use(key, "127.0.14.9")).isEqualTo(200);
        assertThat(Eventually.within(Duration.ofSeconds(15), () -> "127.0.14.9".equals(
                json(admin.get(path)).path("lastIp").asText("")))).isTrue();
    }

    @Test
    void aKeyBannedAheadOfUseIsStoppedOnItsFirstUse() {
        String key = Keys.fresh();

        Response bound = admin.post("/admin/api/keys/bind", "{\"key\":" + quote(key)
                + ",\"rules\":[\"0.0.0.0/0\",\"::/0\"],\"status\":\"banned\"}");

        assertThat(bound.status()).isEqualTo(201);
        assertThat(use(key, "127.0.13.1")).isEqualTo(403);
        assertThat(sentinel.downstream().received().stream()
                .noneMatch(r -> r.uri().contains(Keys.body(key)))).isTrue();
    }

    @Test
    void aPastedValueThatIsNoKeyIsRefusedWithoutBeingQuoted() {
        String notAKey = "sk-has spaces and \"quotes\" secretvalue123";

        for (String path : List.of("/admin/api/keys/lookup", "/admin/api/keys/unbind")) {
            Response refused = admin.post(path, "{\"key\":" + quote(notAKey) + "}");
            assertError(refused, 400, "invalid_api_key");
            assertThat(refused.body()).doesNotContain("secretvalue123");
        }
        Response refused = admin.post("/admin/api/keys/bind", "{\"key\":" + quote(notAKey)
                + ",\"rules\":[\"10.0.0.0/8\"]}");
        assertError(refused, 400, "invalid_api_key");
        assertThat(refused.body()).doesNotContain("secretvalue123");
        assertError(admin.post("/admin/api/keys/lookup", "{}"), 400, "invalid_request");
        assertError(admin.post("/admin/api/keys/lookup", "{\"key\":1}"), 400,
                "invalid_request");
        assertError(admin.post("/admin/api/keys/bind", "{\"key\":" + quote(Keys.fresh())
                + ",\"rules\":[\"10.0.0.1/8\"]}"), 400, "invalid_cidr");
        assertError(admin.post("/admin/api/keys/bind", "{\"key\":" + quote(Keys.fresh())
                + ",\"rules\":[\"10.0.0.0/8\"],\"status\":\"frozen\"}"), 400,
                "invalid_request");
    }

    @Test
    void everyChangeIsAuditedWithTheAdminsAddress() {
        AdminClient other = sentinel.admin("127.0.14.9", sentinel.sentinel()).logIn();
        String hash = hashOf(boundFrom("127.0.14.1"));
        other.post("/admin/api/bindings/" + hash + "/ban", null);
        other.post("/admin/api/bindings/" + hash + "/unban", null);
        other.put("/admin/api/bindings/" + hash + "/note", "{\"note\":\"checked\"}");
        other.put("/admin/api/bindings/" + hash + "/rules", "{\"rules\":[\"127.0.14.0/24\"]}");
        other.delete("/admin/api/bindings/" + hash);

        JsonNode audit = json(admin.get("/admin/api/audit?size=200"));

        List<String> mine = new ArrayList<>();
        for (JsonNode entry : audit.get("items")) {
            if (entry.get("target").asText().endsWith(hash.substring(0, 12))
                    && entry.get("action").asText().startsWith("binding.")) {
                assertThat(entry.get("adminIp").asText()).isEqualTo("127.0.14.9");
                assertThat(entry.get("at").asText()).endsWith("Z");
                mine.add(entry.get("action").asText());
            }
        }
        assertThat(mine).containsExactly("binding.unbound", "binding.rules_replaced",
                "binding.note_set", "binding.unbanned", "binding.banned");
        JsonNode onlyBans = json(admin.get("/admin/api/audit?action=binding.banned"));
        assertThat(onlyBans.get("items").findValuesAsText("action")).containsOnly(
                "binding.banned");
        assertError(admin.get("/admin/api/audit?size=500"), 400, "invalid_parameter");
    }

    private static String boundFrom(String address) {
        String key = Keys.fresh();
        assertThat(use(key, address)).isEqualTo(200);
        return key;
    }

    private static int use(String key, String address) {
        return sentinel.from(address).get("/v1/models", "Authorization: Bearer " + key)
                .status();
    }

    private static String hashOf(String key) {
        return json(admin.post("/admin/api/keys/lookup", "{\"key\":" + quote(key) + "}"))
                .get("tokenHash").asText();
    }

    private static List<String> hashes(String query) {
        Response response = admin.get("/admin/api/bindings?size=200&" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return json(response).get("items").findValuesAsText("tokenHash");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String urlPart(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
