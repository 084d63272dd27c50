package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key is bound to the network of its first use and stopped everywhere else, whichever
 * place and spelling the key arrives in, and a stopped request never reaches New API.
 */
class KeyBindingIT {

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("binding", Map.of());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void forgetRequests() {
        sentinel.downstream().clear();
    }

    @Test
    void aKeyIsBoundOnFirstUseAndRefusedFromAnotherAddress() {
        String key = Keys.fresh();

        Response first = sentinel.from("127.0.0.2").get("/v1/models",
                "Authorization: Bearer " + key);
        Response second = sentinel.from("127.0.0.3").get("/v1/models",
                "Authorization: Bearer " + key);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("gpt-4o-mini");
        assertThat(second.status()).isEqualTo(403);
        assertThat(second.header("content-type")).startsWith("application/json");
        assertThat(second.body()).contains("\"type\":\"sentinel_error\"")
                .contains("\"code\":\"access_denied\"")
                .contains(second.header("x-sentinel-request-id"));
        assertThat(second.header("access-control-allow-origin")).isEqualTo("*");
        assertThat(sentinel.downstream().received()).hasSize(1);
        assertThat(sentinel.downstream().received().get(0).header("x-real-ip"))
                .containsExactly("127.0.0.2");
        assertThat(sentinel.rulesByHint(hintOf(key))).containsExactly("127.0.0.2/32");
    }

    @Test
    void theRefusalSpeaksChineseWhenTheClientPrefersIt() {
        String key = Keys.fresh();
        sentinel.from("127.0.0.2").get("/v1/models", "Authorization: Bearer " + key);

        Response refused = sentinel.from("127.0.0.3").get("/v1/models",
                "Authorization: Bearer " + key, "Accept-Language: zh-CN,zh;q=0.9,en;q=0.8");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("此 API 密钥已绑定到其他网络");
    }

    @Test
    void aBoundKeyIsEnforcedWhereverAndHoweverItIsSent() {
        String key = Keys.fresh();
        String body = Keys.body(key);
        assertThat(sentinel.from("127.0.0.2").get("/v1/models",
                "Authorization: Bearer " + key).status()).isEqualTo(200);
        sentinel.downstream().clear();

        List<String[]> spellings = List.of(
                new String[] {"/v1/models", "Authorization: " + key},
                new String[] {"/v1/models", "Authorization: bearer " + key},
                new String[] {"/v1/messages", "x-api-key: " + key},
                new String[] {"/v1beta/models", "x-goog-api-key: " + key},
                new String[] {"/v1beta/models?key=" + key, "Accept: */*"},
                new String[] {"/v1beta/models?key=" + URLEncoder.encode(body,
                        StandardCharsets.UTF_8), "Accept: */*"},
                new String[] {"/mj/submit/imagine", "mj-api-secret: " + key},
                new String[] {"/v1/realtime", "Sec-WebSocket-Protocol: realtime, "
                        + "openai-insecure-api-key." + key + ", openai-beta.realtime-v1"},
                new String[] {"/v1/realtime", "Sec-WebSocket-Protocol: " + key},
                new String[] {"/v1/models", "Authorization: Bearer " + body},
                new String[] {"/v1/models", "Authorization: Bearer " + key + "-7"},
                new String[] {"/v1/models", "Authorization: Bearer sk-"
                        + body.toLowerCase(Locale.ROOT)},
                new String[] {"/v1/models", "Authorization: Bearer sk-"
                        + body.toUpperCase(Locale.ROOT)},
                new String[] {"/api/usage/token", "Authorization: Bearer " + key},
                new String[] {"/fast/mj/submit/imagine", "Authorization: Bearer " + key});

        for (String[] spelling : spellings) {
            Response response = sentinel.from("127.0.0.3").get(spelling[0], spelling[1]);
            assertThat(response.status()).as("%s %s", spelling[0], mask(spelling[1], body))
                    .isEqualTo(403);
        }
        assertThat(sentinel.downstream().received()).isEmpty();
        assertThat(sentinel.queryInt("SELECT count(*) FROM " + sentinel.schema()
                + ".binding WHERE hint = '" + hintOf(key) + "'")).isEqualTo(1);
    }

    @Test
    void aFreshKeyFromTheSecondAddressIsAllowedAndEachKeyHasOneRow() {
        String first = Keys.fresh();
        String second = Keys.fresh();
        int before = sentinel.bindingCount();

        sentinel.from("127.0.0.2").get("/v1/models", "Authorization: Bearer " + first);
        Response fresh = sentinel.from("127.0.0.3").get("/v1/models",
                "x-api-key: " + second);
        sentinel.from("127.0.0.3").get("/v1/models", "Authorization: " + second + "-3");

        assertThat(fresh.status()).isEqualTo(200);
        assertThat(sentinel.bindingCount()).isEqualTo(before + 2);
        assertThat(sentinel.rulesByHint(hintOf(second))).containsExactly("127.0.0.3/32");
    }

    @Test
    void twoDifferentKeysInOneRequestAreRefusedBeforeNewApi() {
        Response response = sentinel.from("127.0.0.2").get("/v1/messages",
                "Authorization: Bearer " + Keys.fresh(), "x-api-key: " + Keys.fresh());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"ambiguous_credentials\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aMalformedKeyIsRefusedBeforeNewApi() {
        Response response = sentinel.from("127.0.0.2").get("/v1/models",
                "Authorization: Bearer sk-abc$def");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"invalid_api_key\"");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void aRequestWithoutAKeyPassesUntouched() {
        Response response = sentinel.from("127.0.0.4").get("/v1/models");

        assertThat(response.status()).isEqualTo(200);
        assertThat(sentinel.downstream().received()).hasSize(1);
    }

    @Test
    void anUnboundKeyOnTheDashboardApiIsNotBound() {
        String key = Keys.fresh();

        Response response = sentinel.from("127.0.0.2").get("/api/usage/token",
                "Authorization: Bearer " + key);

        assertThat(response.status()).isEqualTo(200);
        assertThat(sentinel.rulesByHint(hintOf(key))).isEmpty();
    }

    @Test
    void forwardingHeadersFromAnUntrustedClientAreReplaced() {
        String key = Keys.fresh();

        sentinel.from("127.0.0.2").get("/v1/models", "Authorization: Bearer " + key,
                "X-Forwarded-For: 6.6.6.6", "X-Real-IP: 6.6.6.6", "X_Real_IP: 6.6.6.6",
                "CF-Connecting-IP: 6.6.6.6", "Forwarded: for=6.6.6.6");

        var received = sentinel.downstream().received().get(0);
        assertThat(received.header("x-forwarded-for")).containsExactly("127.0.0.2");
        assertThat(received.header("x-real-ip")).containsExactly("127.0.0.2");
        assertThat(received.headers()).doesNotContainKeys("cf-connecting-ip", "forwarded",
                "x_real_ip");
        assertThat(sentinel.rulesByHint(hintOf(key))).containsExactly("127.0.0.2/32");
    }

    private static String hintOf(String key) {
        String body = Keys.body(key);
        return "sk-" + body.substring(0, 2) + "…" + body.substring(body.length() - 4);
    }

    private static String mask(String text, String secret) {
        return text.replace(secret, "<key>");
    }
}
