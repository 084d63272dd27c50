package dev.sentinel.app.observe;

/**
 * Makes attacker-controlled text safe for a one-line log: control characters escaped and
 * length capped, so a request cannot forge or flood log lines.
 */
public final class LogText {

    private static final int MAX_LENGTH = 256;

    private LogText() {
    }

    /**
     * Escapes text for a log line.
     *
     * @param text any text, possibly from a client
     * @return printable ASCII-safe text of bounded length
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
        for (int i = 0; i < text.length() && safe.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                safe.append(String.format("\\x%02x", (int) c));
            } else {
                safe.append(c);
            }
        }
        if (text.length() > MAX_LENGTH) {
            safe.append("…");
        }
        return safe.toString();
    }
}
