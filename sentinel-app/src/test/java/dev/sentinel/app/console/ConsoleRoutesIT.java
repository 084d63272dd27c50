package dev.sentinel.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built console is served by Sentinel itself from the jar at /admin/ui/, ahead of the
 * proxy and of the admin API's 404: deep links get the page, hashed assets are cached for
 * good, the page is revalidated, and nothing under /admin/ui reaches New API.
 */
class ConsoleRoutesIT {

    private static final Pattern SCRIPT =
            Pattern.compile("src=\"(/admin/ui/assets/[^\"]+\\.js)\"");

    private static SentinelUnderTest sentinel;
    private static LoopbackClient http;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.startWithoutRedis("console_routes", Map.of());
        http = sentinel.from("127.0.0.1");
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void theConsolePageIsServedAndRevalidated() {
        Response page = http.get("/admin/ui/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).startsWith("text/html");
        assertThat(page.header("cache-control")).isEqualTo("no-cache");
        assertThat(page.header("content-security-policy")).contains("script-src 'self'");
        assertThat(page.body()).contains("<div id=\"app\"></div>");
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void deepLinksWithoutAnExtensionGetThePage() {
        String index = http.get("/admin/ui/").body();

        for (String link : new String[] {"/admin/ui/bindings", "/admin/ui/audit",
                "/admin/ui/settings?tab=x", "/admin/ui/login"}) {
            Response response = http.get(link);
            assertThat(response.status()).as(link).isEqualTo(200);
            assertThat(response.header("cache-control")).as(link).isEqualTo("no-cache");
            assertThat(response.body()).as(link).isEqualTo(index);
        }
    }

    @Test
    void hashedAssetsAreImmutableAndConditional() {
        Matcher script = SCRIPT.matcher(http.get("/admin/ui/").body());
        assertThat(script.find()).as("the page names its script").isTrue();

        Response asset = http.get(script.group(1));
        Response again = http.get(script.group(1), "If-None-Match: " + asset.header("etag"));

        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.header("content-type")).startsWith("text/javascript");
        assertThat(asset.header("cache-control"))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(asset.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(again.status()).isEqualTo(304);
    }

    @Test
    void aMissingFileIsNotFoundRatherThanThePage() {
        Response missing = http.get("/admin/ui/assets/missing-0000.js");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("content-type")).startsWith("application/json");
        assertThat(missing.body()).contains("\"code\":\"not_found\"");
        assertThat(http.get("/admin/ui/assets/../../api/session").status()).isNotEqualTo(200);
        assertThat(http.get("/admin/ui/%2e%2e/api/dashboard").status()).isNotEqualTo(200);
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void theBarePathRedirectsAndOtherMethodsAreRefused() {
        Response bare = http.get("/admin/ui");
        Response post = http.post("/admin/ui/", "{}");

        assertThat(bare.status()).isEqualTo(301);
        assertThat(bare.header("location")).isEqualTo("/admin/ui/");
        assertThat(post.status()).isEqualTo(404);
        assertThat(sentinel.downstream().received()).isEmpty();
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        URI page = URI.create("http://127.0.0.1:" + sentinel.sentinel().port() + "/admin/ui/");
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(page)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(head.body()).isEmpty();
        }
    }
}
