package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.domain.SentinelException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BusyPortTest {

    @ParameterizedTest
    @ValueSource(strings = {"SENTINEL_PORT", "SENTINEL_MANAGEMENT_PORT"})
    void aBusyPortIsReportedUnderItsOwnVariable(String busyVariable) throws IOException {
        // A taken management port was reported as SENTINEL_PORT, after Helidon's stack trace.
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String otherVariable = busyVariable.equals("SENTINEL_PORT")
                    ? "SENTINEL_MANAGEMENT_PORT" : "SENTINEL_PORT";
            SentinelConfig config = SentinelConfig.load(Map.of("SENTINEL_HOST", "127.0.0.1",
                    busyVariable, String.valueOf(other.getLocalPort()), otherVariable, "0"));

            assertThatThrownBy(() -> Sentinel.start(config))
                    .isInstanceOf(SentinelException.class)
                    .hasMessage("cannot listen on 127.0.0.1 port " + other.getLocalPort()
                            + " (" + busyVariable + "): is another process using it?");
        }
    }
}
