package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.sentinel.app.Sentinel;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forged admin tokens, tried on every admin route of two replicas: HS256 signed with text
 * anyone can read (the issuer, the subject, an empty key, the served OpenAPI document),
 * {@code alg: none} in every spelling, expired and wrong-key tokens. Each is a 401 JSON
 * refusal, and guessing the password is locked out however the guesses are spread over
 * the replicas.
 */
class AdminTokenForgeryIT {

    private static SentinelUnderTest sentinel;
    private static Sentinel one;
    private static Sentinel two;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("admin_forgery", Map.of("LOGIN_MAX_ATTEMPTS", "4"));
        one = sentinel.sentinel();
        two = sentinel.startInstance();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void hs256TokensSignedWithPublicTextAreRefused() {
        String document = sentinel.admin("127.0.50.1", one)
                .raw("GET", "/admin/api/openapi.json", null).body();
        Map<String, byte[]> publicKeys = new LinkedHashMap<>();
        publicKeys.put("issuer", bytes("sentinel"));
        publicKeys.put("issuer, capitalised", bytes("Sentinel"));
        publicKeys.put("subject", bytes("admin"));
        // HMAC pads a short key with zero bytes, so one zero byte signs as the empty key.
        publicKeys.put("empty key", new byte[1]);
        publicKeys.put("the OpenAPI document", bytes(document));
        publicKeys.put("the prefix of the routes", bytes("/admin/api"));

        for (Map.Entry<String, byte[]> key : publicKeys.entrySet()) {
            String token = hs256(key.getValue(), validClaims());
            for (Sentinel instance : List.of(one, two)) {
                Response refused = sentinel.admin("127.0.50.1", instance)
                        .raw("GET", "/admin/api/dashboard", null, bearer(token));
                assertThat(refused.status()).as(key.getKey()).isEqualTo(401);
                assertError(refused, 401, "unauthorized");
            }
        }
    }

    @Test
    void algNoneIsRefusedInEverySpellingWithOrWithoutASignature() {
        String valid = sentinel.admin("127.0.0.1", one).logIn().token();
        String validSignature = valid.substring(valid.lastIndexOf('.') + 1);

        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            String unsigned = base64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "."
                    + base64(validClaims());
            for (String token : List.of(unsigned + ".", unsigned, unsigned + "."
                    + validSignature)) {
                Response refused = sentinel.admin("127.0.50.2", two)
                        .raw("GET", "/admin/api/session", null, bearer(token));
                assertThat(refused.status()).as(alg + ": " + token).isEqualTo(401);
                assertError(refused, 401, "unauthorized");
            }
        }
    }

    @Test
    void everyGuardedRouteOfBothReplicasRefusesEveryForgedToken() {
        String secret = sentinel.adminJwtSecret();
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("expired", JWT.create().withIssuer("sentinel").withSubject("admin")
                .withExpiresAt(Instant.now().minusSeconds(1)).sign(Algorithm.HMAC256(secret)));
        forged.put("wrong key", JWT.create().withIssuer("sentinel").withSubject("admin")
                .withExpiresAt(Instant.now().plusSeconds(600))
                .sign(Algorithm.HMAC256("a-different-secret-of-enough-length-42")));
        forged.put("alg none", base64("{\"alg\":\"none\"}") + "." + base64(validClaims())
                + ".");
        forged.put("HS256 over the issuer", hs256(bytes("sentinel"), validClaims()));
        forged.put("HS256 over an empty key", hs256(new byte[1], validClaims()));
        sentinel.downstream().clear();

        int routes = 0;
        for (var route : one.adminRoutes()) {
            if (!route.requiresToken()) {
                continue;
            }
            routes++;
            String path = route.path().replace("{tokenHash}", "b".repeat(64))
                    .replace("{name}", "bindRatePerIp");
            String body = route.method().equals("GET") || route.method().equals("DELETE")
                    ? null : "{}";
            for (Map.Entry<String, String> token : forged.entrySet()) {
                for (Sentinel instance : List.of(one, two)) {
                    AdminClient anonymous = sentinel.admin("127.0.50.3", instance);
                    Response refused = anonymous.raw(route.method(), path, body,
                            bearer(token.getValue()));
                    assertThat(refused.status()).as(route + " with " + token.getKey())
                            .isEqualTo(401);
                    assertError(refused, 401, "unauthorized");
                }
            }
        }

        System.out.printf("admin routes enumerated: %d (%d need a token), forged tokens %d, "
                + "replicas 2%n", one.adminRoutes().size(), routes, forged.size());
        assertThat(routes).isEqualTo(one.adminRoutes().size() - 2);
        assertThat(two.adminRoutes()).isEqualTo(one.adminRoutes());
        assertThat(sentinel.downstream().received()).isEmpty();
        assertThat(sentinel.queryInt("SELECT count(*) FROM " + sentinel.schema()
                + ".admin_audit WHERE admin_ip = '127.0.50.3'")).isZero();
    }

    @Test
    void spellingsOfAGuardedPathAreRefusedOrUnknownWithoutATokenAndNeverProxied() {
        sentinel.downstream().clear();
        AdminClient anonymous = sentinel.admin("127.0.50.6", one);
        int tried = 0;

        for (var route : one.adminRoutes()) {
            if (!route.requiresToken()) {
                continue;
            }
            String path = route.path().replace("{tokenHash}", "b".repeat(64))
                    .replace("{name}", "bindRatePerIp");
            String body = route.method().equals("GET") || route.method().equals("DELETE")
                    ? null : "{}";
            int cut = path.lastIndexOf('/') + 1;
            String escapedLetter = path.substring(0, cut) + "%"
                    + Integer.toHexString(path.charAt(cut)) + path.substring(cut + 1);
            // Helidon normalises dot segments, doubled and escaped slashes and escaped
            // letters before routing: each spelling meets the token check or is unknown.
            for (String spelling : List.of(path + "/", path + "%2F", path + "%00",
                    path + ";a=b", "/" + path, path.replace("/admin/api/", "/admin/api/./"),
                    path.replace("/admin/api/", "/admin/x/../api/"),
                    path.replace("/admin/", "/admin%2F"), escapedLetter)) {
                Response refused = anonymous.raw(route.method(), spelling, body);
                assertThat(refused.status()).as(route.method() + " " + spelling)
                        .isIn(401, 404);
                assertError(refused, refused.status(), refused.status() == 401
                        ? "unauthorized" : "not_found");
                tried++;
            }
            if (route.method().equals("GET")) {
                assertThat(anonymous.raw("HEAD", path, null).status()).as("HEAD " + path)
                        .isIn(401, 404, 405);
            }
        }

        assertThat(tried).isGreaterThanOrEqualTo(18 * 9);
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void guessesSpreadOverBothReplicasAddUpToOneLockout() {
        String address = "127.0.50.4";
        for (int i = 0; i < 4; i++) {
            Sentinel instance = i % 2 == 0 ? one : two;
            assertError(sentinel.admin(address, instance).logIn("guess-" + i), 401,
                    "invalid_password");
        }

        for (Sentinel instance : List.of(one, two)) {
            assertError(sentinel.admin(address, instance).logIn(sentinel.adminPassword()),
                    429, "login_locked");
        }
        assertThat(sentinel.admin("127.0.50.5", two).logIn(sentinel.adminPassword())
                .status()).isEqualTo(200);
    }

    /** Claims a real token carries, valid for ten minutes. */
    private static String validClaims() {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"sentinel\",\"sub\":\"admin\",\"iat\":" + now + ",\"exp\":"
                + (now + 600) + "}";
    }

    private static String hs256(byte[] key, String claims) {
        String signed = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(json));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
