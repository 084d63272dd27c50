package dev.sentinel.app.admin;

import static dev.sentinel.app.support.AdminClient.assertError;
import static dev.sentinel.app.support.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may use the admin API: a login with the admin password gets a token, every other
 * route refuses a request without a valid HS256 token, guessing is locked out per client
 * address (the admin's, behind a trusted proxy), and nothing under /admin reaches New API.
 */
class AdminAccessIT {

    private static final String PROXY = "127.0.0.9";
    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("admin_access", Map.of(
                "LOGIN_MAX_ATTEMPTS", "3",
                "TRUSTED_PROXY_IPS", PROXY + "/32"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void theAdminPasswordBuysATokenThatOpensTheOtherRoutes() {
        AdminClient admin = sentinel.admin("127.0.0.20", sentinel.sentinel());

        Response login = admin.logIn(sentinel.adminPassword());
        JsonNode body = json(login);
        admin.logIn();
        Response session = admin.get("/admin/api/session");

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("cache-control")).isEqualTo("no-store");
        assertThat(body.get("token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        Instant expiresAt = Instant.parse(body.get("expiresAt").asText());
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(719 * 60),
                Instant.now().plusSeconds(721 * 60));
        assertThat(session.status()).isEqualTo(200);
        assertThat(json(session).get("subject").asText()).isEqualTo("admin");
        assertThat(login.body()).doesNotContain(sentinel.adminPassword());
    }

    @Test
    void aWrongPasswordIsRefusedWithoutAToken() {
        AdminClient admin = sentinel.admin("127.0.0.21", sentinel.sentinel());

        Response refused = admin.logIn("not-the-password");

        assertError(refused, 401, "invalid_password");
        assertThat(refused.body()).doesNotContain("token\"");
    }

    @Test
    void malformedLoginBodiesAreRefusedAsBadRequests() {
        AdminClient admin = sentinel.admin("127.0.0.22", sentinel.sentinel());

        assertError(admin.raw("POST", "/admin/api/login", "{\"password\":"), 400,
                "invalid_json");
        assertError(admin.raw("POST", "/admin/api/login", "[1,2]"), 400, "invalid_json");
        assertError(admin.raw("POST", "/admin/api/login", ""), 400, "invalid_json");
        assertError(admin.raw("POST", "/admin/api/login", "{} {}"), 400, "invalid_json");
        assertError(admin.raw("POST", "/admin/api/login",
                "{\"password\":\"a\",\"password\":\"b\"}"), 400, "invalid_json");
        assertError(admin.raw("POST", "/admin/api/login", "{}"), 400, "invalid_request");
        assertError(admin.raw("POST", "/admin/api/login", "{\"password\":12345678}"), 400,
                "invalid_request");
        assertError(admin.raw("POST", "/admin/api/login", "{\"pasword\":\"x\"}"), 400,
                "invalid_request");
        // None of these counted as an attempt.
        assertThat(admin.logIn(sentinel.adminPassword()).status()).isEqualTo(200);
    }

    @Test
    void pastTheAttemptLimitEvenTheRightPasswordIsLockedOut() {
        AdminClient guesser = sentinel.admin("127.0.0.23", sentinel.sentinel());
        for (int i = 0; i < 3; i++) {
            assertError(guesser.logIn("guess-" + i), 401, "invalid_password");
        }

        Response locked = guesser.logIn(sentinel.adminPassword());
        Response elsewhere = sentinel.admin("127.0.0.24", sentinel.sentinel())
                .logIn(sentinel.adminPassword());

        assertError(locked, 429, "login_locked");
        assertThat(Long.parseLong(locked.header("retry-after"))).isBetween(890L, 900L);
        assertThat(elsewhere.status()).isEqualTo(200);
    }

    @Test
    void aSuccessfulLoginClearsTheCount() {
        AdminClient admin = sentinel.admin("127.0.0.25", sentinel.sentinel());
        assertError(admin.logIn("guess-1"), 401, "invalid_password");
        assertError(admin.logIn("guess-2"), 401, "invalid_password");
        assertThat(admin.logIn(sentinel.adminPassword()).status()).isEqualTo(200);

        assertError(admin.logIn("guess-3"), 401, "invalid_password");
        assertError(admin.logIn("guess-4"), 401, "invalid_password");
        assertThat(admin.logIn(sentinel.adminPassword()).status()).isEqualTo(200);
    }

    @Test
    void behindATrustedProxyTheLockoutCountsTheAdminsAddress() {
        AdminClient proxy = sentinel.admin(PROXY, sentinel.sentinel());
        for (int i = 0; i < 3; i++) {
            assertError(proxy.raw("POST", "/admin/api/login", "{\"password\":\"x" + i + "\"}",
                    "X-Real-IP: 198.51.100.1"), 401, "invalid_password");
        }
        String right = "{\"password\":" + AdminClient.quote(sentinel.adminPassword()) + "}";

        Response locked = proxy.raw("POST", "/admin/api/login", right,
                "X-Real-IP: 198.51.100.1");
        Response other = proxy.raw("POST", "/admin/api/login", right,
                "X-Real-IP: 198.51.100.2");
        Response noHeader = proxy.raw("POST", "/admin/api/login", right);

        assertError(locked, 429, "login_locked");
        assertThat(other.status()).isEqualTo(200);
        assertError(noHeader, 400, "invalid_client_ip");
        JsonNode audit = json(sentinel.admin().get("/admin/api/audit?action=admin.login"));
        assertThat(audit.get("items").findValuesAsText("adminIp")).contains("198.51.100.2");
        JsonNode locks = json(sentinel.admin().get("/admin/api/audit?action=admin.login_locked"));
        assertThat(locks.get("items").findValuesAsText("adminIp")).contains("198.51.100.1");
    }

    @Test
    void everyRouteButLoginAndTheDocumentRefusesARequestWithoutAToken() {
        AdminClient anonymous = sentinel.admin("127.0.0.26", sentinel.sentinel());
        Set<String> open = new HashSet<>();

        for (var route : sentinel.sentinel().adminRoutes()) {
            String path = route.path().replace("{tokenHash}", "a".repeat(64))
                    .replace("{name}", "failsafeMode");
            String body = route.method().equals("GET") || route.method().equals("DELETE")
                    ? null : "{}";
            if (!route.requiresToken()) {
                open.add(route.method() + " " + route.path());
                continue;
            }
            assertError(anonymous.raw(route.method(), path, body), 401, "unauthorized");
        }

        assertThat(open).containsExactlyInAnyOrder("POST /admin/api/login",
                "GET /admin/api/openapi.json");
        assertThat(sentinel.sentinel().adminRoutes()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRegisteredRoutes() {
        Response document = sentinel.admin("127.0.0.27", sentinel.sentinel())
                .raw("GET", "/admin/api/openapi.json", null);
        JsonNode paths = json(document).get("paths");
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    documented.add(method.toUpperCase() + " " + path.getKey());
                }
            });
        }

        Set<String> registered = sentinel.sentinel().adminRoutes().stream()
                .map(route -> route.method() + " " + route.path())
                .collect(Collectors.toSet());
        assertThat(document.status()).isEqualTo(200);
        assertThat(json(document).get("openapi").asText()).startsWith("3.");
        assertThat(documented).isEqualTo(registered);
    }

    @Test
    void tokensThatAreMissingExpiredForgedOrSignedOtherwiseAreRefused() throws Exception {
        String secret = sentinel.adminJwtSecret();
        String valid = sentinel.admin().token();
        String[] parts = valid.split("\\.");
        String forgedPayload = base64("{\"iss\":\"sentinel\",\"sub\":\"admin\",\"exp\":"
                + Instant.now().plusSeconds(86_400 * 365).getEpochSecond() + "}");
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();

        Map<String, String> headers = Map.ofEntries(
                Map.entry("missing", ""),
                Map.entry("not bearer", "Authorization: Basic YWRtaW46YWRtaW4="),
                Map.entry("empty bearer", "Authorization: Bearer "),
                Map.entry("garbage", "Authorization: Bearer not.a.jwt"),
                Map.entry("expired", bearer(JWT.create().withIssuer("sentinel")
                        .withSubject("admin").withExpiresAt(Instant.now().minusSeconds(60))
                        .sign(Algorithm.HMAC256(secret)))),
                Map.entry("no expiry", bearer(JWT.create().withIssuer("sentinel")
                        .withSubject("admin").sign(Algorithm.HMAC256(secret)))),
                Map.entry("forged payload", bearer(parts[0] + "." + forgedPayload + "."
                        + parts[2])),
                Map.entry("wrong key", bearer(JWT.create().withIssuer("sentinel")
                        .withSubject("admin").withExpiresAt(Instant.now().plusSeconds(600))
                        .sign(Algorithm.HMAC256("another-secret-of-enough-length-0123")))),
                Map.entry("alg none", bearer(base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                        + forgedPayload + ".")),
                Map.entry("HS512 same secret", bearer(JWT.create().withIssuer("sentinel")
                        .withSubject("admin").withExpiresAt(Instant.now().plusSeconds(600))
                        .sign(Algorithm.HMAC512(secret)))),
                Map.entry("RS256", bearer(JWT.create().withIssuer("sentinel")
                        .withSubject("admin").withExpiresAt(Instant.now().plusSeconds(600))
                        .sign(Algorithm.RSA256((RSAPublicKey) rsa.getPublic(),
                                (RSAPrivateKey) rsa.getPrivate())))),
                Map.entry("other issuer", bearer(JWT.create().withIssuer("someone")
                        .withSubject("admin").withExpiresAt(Instant.now().plusSeconds(600))
                        .sign(Algorithm.HMAC256(secret)))));
        AdminClient anonymous = sentinel.admin("127.0.0.28", sentinel.sentinel());

        for (Map.Entry<String, String> header : headers.entrySet()) {
            Response response = header.getValue().isEmpty()
                    ? anonymous.raw("GET", "/admin/api/dashboard", null)
                    : anonymous.raw("GET", "/admin/api/dashboard", null, header.getValue());
            assertThat(response.status()).as(header.getKey()).isEqualTo(401);
            assertError(response, 401, "unauthorized");
            assertThat(response.header("www-authenticate")).startsWith("Bearer");
        }
        assertThat(anonymous.raw("GET", "/admin/api/dashboard", null, bearer(valid))
                .status()).isEqualTo(200);
        assertError(anonymous.raw("GET", "/admin/api/dashboard", null, bearer(valid),
                bearer(valid)), 401, "unauthorized");
    }

    @Test
    void nothingUnderAdminIsProxiedAndUnknownPathsAreJsonErrors() {
        sentinel.downstream().clear();
        AdminClient admin = sentinel.admin();

        assertError(admin.get("/admin/api/nothing-here"), 404, "not_found");
        assertError(admin.get("/admin"), 404, "not_found");
        assertError(admin.get("/admin/anything/else?key=sk-abc"), 404, "not_found");
        assertError(admin.raw("POST", "/admin/api/v1/chat/completions", "{}",
                "Authorization: Bearer sk-notakeyatallreally0123456789"), 404, "not_found");
        Response wrongMethod = admin.delete("/admin/api/login");
        assertError(wrongMethod, 405, "method_not_allowed");
        assertThat(wrongMethod.header("allow")).isEqualTo("POST");

        assertThat(sentinel.downstream().received()).isEmpty();
    }

    private static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
