package dev.sentinel.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.Sentinel;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.support.AtRest;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.NewApiStandIn;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The embedded default invents the admin password and token secret into files under
 * DATA_DIR, logs the files and never the values, and keeps them across restarts.
 */
class AdminEmbeddedIT {

    @Test
    void theGeneratedAdminPasswordLogsInAndSurvivesARestart() throws IOException {
        LogCapture.install();
        Path dataDir = Files.createTempDirectory("sentinel-admin-embedded-");
        try (NewApiStandIn downstream = NewApiStandIn.start()) {
            Map<String, String> environment = Map.of(
                    "DOWNSTREAM_URL", downstream.url(),
                    "SENTINEL_HOST", "127.0.0.1",
                    "SENTINEL_PORT", "0",
                    "SENTINEL_MANAGEMENT_PORT", "0",
                    "DATA_DIR", dataDir.toString());
            String token;
            try (Sentinel first = Sentinel.start(SentinelConfig.load(environment))) {
                String password = Files.readString(dataDir.resolve("secrets/admin_password"))
                        .strip();
                AtRest.secret(password);
                Response login = logIn(first, password);
                assertThat(login.status()).isEqualTo(200);
                token = login.body();
                assertThat(logIn(first, password + "x").status()).isEqualTo(401);
            }
            String password = Files.readString(dataDir.resolve("secrets/admin_password"))
                    .strip();
            String jwtSecret = Files.readString(dataDir.resolve("secrets/admin_jwt_secret"))
                    .strip();
            AtRest.secret(jwtSecret);

            try (Sentinel second = Sentinel.start(SentinelConfig.load(environment))) {
                assertThat(logIn(second, password).status()).isEqualTo(200);
                String issued = token.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
                assertThat(new LoopbackClient("127.0.0.2", new InetSocketAddress("127.0.0.1",
                        second.port())).get("/admin/api/session",
                        "Authorization: Bearer " + issued).status()).isEqualTo(200);
            }

            assertThat(password).hasSizeGreaterThanOrEqualTo(16);
            assertThat(jwtSecret).hasSizeGreaterThanOrEqualTo(32);
            assertThat(LogCapture.text()).contains("admin_password").contains("admin_jwt_secret")
                    .doesNotContain(password).doesNotContain(jwtSecret);
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Response logIn(Sentinel sentinel, String password) {
        return new LoopbackClient("127.0.0.2", new InetSocketAddress("127.0.0.1",
                sentinel.port())).post("/admin/api/login", "{\"password\":\"" + password
                + "\"}");
    }
}
