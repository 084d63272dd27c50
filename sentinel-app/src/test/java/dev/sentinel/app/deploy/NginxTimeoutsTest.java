package dev.sentinel.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Helidon 4.5 has no timeout for a client that sends its request headers or body slowly
 * (README, Limits); the nginx front of the compose deployment is what cuts such clients
 * off. This keeps those settings in its configuration.
 */
class NginxTimeoutsTest {

    private static final Path PROXY_CONF = Path.of("..", "deploy", "nginx",
            "sentinel-proxy.conf");

    @ParameterizedTest
    @CsvSource({"client_header_timeout, 60", "client_body_timeout, 120"})
    void theNginxFrontCutsOffClientsThatSendSlowly(String directive, int mostSeconds)
            throws IOException {
        Matcher setting = Pattern.compile("(?m)^\\s*" + directive + "\\s+(\\d+)s\\s*;")
                .matcher(Files.readString(PROXY_CONF));

        assertThat(setting.find()).as("%s in %s", directive, PROXY_CONF).isTrue();
        assertThat(Integer.parseInt(setting.group(1))).isBetween(1, mostSeconds);
    }
}
