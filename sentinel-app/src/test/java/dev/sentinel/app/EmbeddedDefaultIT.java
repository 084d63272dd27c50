package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.support.AtRest;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LogCapture;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.NewApiStandIn;
import dev.sentinel.domain.SentinelException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded default: no DATABASE_URL, no REDIS_URL. Sentinel runs its own PostgreSQL
 * under DATA_DIR, invents its secrets there, and keeps every binding across restarts.
 */
class EmbeddedDefaultIT {

    private Path dataDir;
    private NewApiStandIn downstream;

    @BeforeEach
    void prepare() throws IOException {
        LogCapture.install();
        dataDir = Files.createTempDirectory("sentinel-embedded-");
        downstream = NewApiStandIn.start();
    }

    @AfterEach
    void cleanUp() throws IOException {
        downstream.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void bindingsSurviveARestartOnTheSameDataDirectory() throws IOException {
        String key = Keys.fresh();
        Map<String, String> environment = Map.of(
                "DOWNSTREAM_URL", downstream.url(),
                "SENTINEL_HOST", "127.0.0.1",
                "SENTINEL_PORT", "0",
                "SENTINEL_MANAGEMENT_PORT", "0",
                "DATA_DIR", dataDir.toString());

        try (Sentinel first = Sentinel.start(SentinelConfig.load(environment))) {
            assertThat(client("127.0.0.2", first).get("/v1/models",
                    "Authorization: Bearer " + key).status()).isEqualTo(200);
        }
        String secret = Files.readString(dataDir.resolve("secrets/sentinel_hmac_secret"))
                .strip();
        AtRest.secret(secret);

        try (Sentinel second = Sentinel.start(SentinelConfig.load(environment))) {
            assertThat(client("127.0.0.3", second).get("/v1/models",
                    "Authorization: Bearer " + key).status()).isEqualTo(403);
            assertThat(client("127.0.0.2", second).get("/v1/models",
                    "Authorization: Bearer " + key).status()).isEqualTo(200);
        }

        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        assertThat(LogCapture.text()).contains("sentinel_hmac_secret").doesNotContain(secret)
                .doesNotContain(Keys.body(key));
    }

    @Test
    void aPortInUseStopsTheStartWithOneMessage() throws IOException {
        // Helidon logged the bind failure and ran on without a listener: the process served
        // nothing and never exited, so no supervisor restarted it.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> environment = Map.of(
                    "DOWNSTREAM_URL", downstream.url(),
                    "SENTINEL_HOST", "127.0.0.1",
                    "SENTINEL_PORT", String.valueOf(taken.getLocalPort()),
                    "SENTINEL_MANAGEMENT_PORT", "0",
                    "DATA_DIR", dataDir.toString());

            assertThatThrownBy(() -> Sentinel.start(SentinelConfig.load(environment)))
                    .isInstanceOf(SentinelException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("SENTINEL_PORT");
        }
    }

    private static LoopbackClient client(String source, Sentinel sentinel) {
        return new LoopbackClient(source, new InetSocketAddress("127.0.0.1", sentinel.port()));
    }
}
