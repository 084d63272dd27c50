package dev.sentinel.app.console;

import static dev.sentinel.app.support.AdminClient.json;
import static dev.sentinel.app.support.AdminClient.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core from
 * {@code sentinel-ui/e2e/console.mjs}) against a real Sentinel: PostgreSQL schema, Redis
 * prefix and downstream of its own. The binding is made by proxied traffic; the ban set in
 * the browser must stop the next proxied request. Fails, never skips, when the browser or
 * the console's node modules are missing.
 */
class ConsoleBrowserIT {

    private static final String CLIENT_IP = "127.0.0.2";
    private static final int LOGIN_ATTEMPTS = 3;
    private static final long SUITE_MINUTES = 5;

    @Test
    void anAdminBindsEditsBansAuditsAndConfiguresThroughTheConsole() throws Exception {
        Path chromium = Path.of(System.getProperty("sentinel.chromium", "/usr/bin/chromium"));
        Path ui = Path.of(System.getProperty("sentinel.ui.dir", "../sentinel-ui"))
                .toAbsolutePath().normalize();
        assertThat(chromium).as("Debian's chromium (apt-get install chromium)").isExecutable();
        assertThat(ui.resolve("node_modules/playwright-core")).as("npm ci in sentinel-ui")
                .isDirectory();
        Path shots = Path.of("target", "console-e2e").toAbsolutePath();

        try (SentinelUnderTest sentinel = SentinelUnderTest.start("console_browser",
                Map.of("LOGIN_MAX_ATTEMPTS", String.valueOf(LOGIN_ATTEMPTS)))) {
            String key = Keys.fresh();
            assertThat(proxied(sentinel, key).status()).as("first use binds").isEqualTo(200);
            AdminClient admin = sentinel.admin();
            String hash = json(admin.post("/admin/api/keys/lookup",
                    "{\"key\":" + quote(key) + "}")).get("tokenHash").asText();

            ProcessBuilder builder = new ProcessBuilder("node", "e2e/console.mjs")
                    .directory(ui.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("SENTINEL_URL", "http://127.0.0.1:" + sentinel.sentinel().port());
            env.put("SENTINEL_ADMIN_PASSWORD", sentinel.adminPassword());
            env.put("SENTINEL_KEY_HASH", hash);
            env.put("SENTINEL_KEY", key);
            env.put("SENTINEL_CLIENT_IP", CLIENT_IP);
            env.put("SENTINEL_SCREENSHOTS", shots.toString());
            env.put("SENTINEL_LOCKOUT_TRIES", String.valueOf(LOGIN_ATTEMPTS));
            env.put("CHROMIUM", chromium.toString());

            List<String> output = new ArrayList<>();
            List<Integer> afterBan = new ArrayList<>();
            Process node = builder.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(
                    node.getInputStream(), StandardCharsets.UTF_8));
                    Writer in = node.outputWriter(StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("@@ banned ")) {
                        // The ban set in the browser stops the very next proxied request.
                        Response refused = proxied(sentinel, key);
                        afterBan.add(refused.status());
                        assertThat(refused.body()).contains("access_denied");
                        in.write("continue\n");
                        in.flush();
                    }
                }
            } finally {
                if (!node.waitFor(SUITE_MINUTES, TimeUnit.MINUTES)) {
                    node.destroyForcibly();
                }
            }
            Files.createDirectories(shots);
            Files.write(shots.resolve("console.log"), output);

            String transcript = String.join("\n", output);
            assertThat(node.exitValue()).as(transcript).isZero();
            assertThat(output).as(transcript).contains("console e2e: 18 passed, 0 failed");
            assertThat(afterBan).containsExactly(403);
            // Only the first use reached New API: the console itself is never proxied.
            assertThat(sentinel.downstream().received()).hasSize(1);

            JsonNode binding = json(admin.get("/admin/api/bindings/" + hash));
            assertThat(binding.get("status").asText()).isEqualTo("banned");
            assertThat(binding.get("rules").toString()).contains(CLIENT_IP + "/32", "10.0.0.0/8");
            JsonNode threshold = json(admin.get("/admin/api/settings")).get("settings")
                    .get("alertThresholdCount");
            assertThat(threshold.get("value").asInt()).isEqualTo(7);
            assertThat(threshold.get("source").asText()).isEqualTo("admin");
            for (String page : List.of("01-login", "02-dashboard", "03-bindings",
                    "08-audit-intercepts", "09-audit-actions", "10-settings", "11-settings-zh",
                    "13-login-locked")) {
                assertThat(shots.resolve(page + ".png")).as("screenshot").isNotEmptyFile();
            }
        }
    }

    private static Response proxied(SentinelUnderTest sentinel, String key) {
        return sentinel.from(CLIENT_IP).get("/v1/models", "Authorization: Bearer " + key);
    }
}
