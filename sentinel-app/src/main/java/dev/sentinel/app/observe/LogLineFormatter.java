package dev.sentinel.app.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Formats a log record as one line: local time to the millisecond, level, logger, message,
 * and a stack trace only when one was logged.
 *
 * <p>Helidon's formatter and the JDK's both look up the calling class of every record, by
 * walking the stack, even when the format prints no caller; at one line per new binding
 * that walk cost more than the rest of the line. This one never asks for the caller.
 *
 * <p>Thread-safe: stateless.
 */
public final class LogLineFormatter extends Formatter {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS")
                    .withZone(ZoneId.systemDefault());

    /** Creates the formatter; called by the JDK's log manager. */
    public LogLineFormatter() {
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        TIME.formatTo(record.getInstant(), line);
        line.append(' ').append(record.getLevel().getLocalizedName())
                .append(' ').append(record.getLoggerName())
                .append(" - ").append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                out.println();
                record.getThrown().printStackTrace(out);
            }
            StringBuffer text = trace.getBuffer();
            line.append(text, 0, text.length() - System.lineSeparator().length());
        }
        return line.append(System.lineSeparator()).toString();
    }
}
