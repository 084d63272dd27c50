package dev.sentinel.app.support;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything logged in this JVM (Sentinel runs in-process in the tests), formatted
 * as it would be printed, so tests can read log lines and scan them for secrets.
 */
public final class LogCapture {

    private static final StringBuffer CAPTURED = new StringBuffer();
    private static volatile boolean installed;

    private LogCapture() {
    }

    /** Installs the capture on the root logger, once per JVM. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        Logger root = LogManager.getLogManager().getLogger("");
        root.setLevel(Level.INFO);
        SimpleFormatter formatter = new SimpleFormatter();
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String line = formatter.format(record);
                CAPTURED.append(line);
                AtRest.log(line);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        installed = true;
    }

    /** Returns everything captured so far. */
    public static String text() {
        return CAPTURED.toString();
    }
}
