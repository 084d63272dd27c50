package dev.sentinel.app.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogLineFormatterTest {

    private static final Instant AT = LocalDateTime.parse("2026-12-03T19:57:07.926")
            .atZone(ZoneId.systemDefault()).toInstant();

    @Test
    void aRecordIsOneLineOfTimeLevelLoggerAndMessage() {
        LogRecord record = record(Level.INFO, "key bound key={0} network={1}",
                "sk-…98", "127.0.0.1/32");

        assertThat(new LogLineFormatter().format(record)).isEqualTo(
                "2026-12-03T19:57:07.926 INFO dev.sentinel.guard - key bound key=sk-…98 "
                        + "network=127.0.0.1/32" + System.lineSeparator());
    }

    @Test
    void aLoggedFailureFollowsOnTheNextLinesWithItsStackTrace() {
        LogRecord record = record(Level.WARNING, "probe failed");
        record.setThrown(new IllegalStateException("connection refused"));

        String text = new LogLineFormatter().format(record);

        assertThat(text.lines().toList()).hasSizeGreaterThan(2);
        assertThat(text.lines().toList().get(0))
                .isEqualTo("2026-12-03T19:57:07.926 WARNING dev.sentinel.guard - probe failed");
        assertThat(text.lines().toList().get(1))
                .isEqualTo("java.lang.IllegalStateException: connection refused");
        assertThat(text).endsWith(System.lineSeparator())
                .doesNotEndWith(System.lineSeparator() + System.lineSeparator());
    }

    @Test
    void theCallerIsNeverLookedUp() {
        // Finding the caller walks the stack; it cost more than the rest of a line.
        LogRecord record = new LogRecord(Level.INFO, "key bound") {
            @Override
            public String getSourceClassName() {
                throw new AssertionError("the caller was looked up");
            }

            @Override
            public String getSourceMethodName() {
                throw new AssertionError("the caller was looked up");
            }
        };
        record.setInstant(AT);
        record.setLoggerName("dev.sentinel.guard");

        assertThat(new LogLineFormatter().format(record))
                .startsWith("2026-12-03T19:57:07.926 INFO dev.sentinel.guard - key bound");
    }

    @Test
    void theShippedLoggingConfigurationUsesIt() throws IOException {
        Properties logging = new Properties();
        try (InputStream in = LogLineFormatter.class.getResourceAsStream("/logging.properties")) {
            logging.load(in);
        }

        assertThat(logging.getProperty("handlers"))
                .isEqualTo("io.helidon.logging.jul.HelidonConsoleHandler");
        assertThat(logging.getProperty("io.helidon.logging.jul.HelidonConsoleHandler.formatter"))
                .isEqualTo(LogLineFormatter.class.getName());
    }

    private static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setInstant(AT);
        record.setLoggerName("dev.sentinel.guard");
        record.setParameters(parameters);
        return record;
    }
}
