package dev.sentinel.app.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one parameter out of a raw query string the way an HTML form decoder (and New API's
 * Go server) does: pairs split on {@code &}, {@code +} is a space, {@code %XX} a byte.
 *
 * <p>A pair whose name decodes to the wanted name but whose value cannot be decoded is
 * returned undecoded rather than skipped: a malformed key must be refused, not waved through.
 */
final class FormQuery {

    private FormQuery() {
    }

    /** Returns every value of {@code name} in {@code rawQuery}, decoded. */
    static List<String> values(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty() || rawQuery.indexOf(name.charAt(0)) < 0
                && rawQuery.indexOf('%') < 0) {
            return List.of();
        }
        List<String> values = new ArrayList<>(1);
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            String pair = rawQuery.substring(start, end);
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            if (name.equals(decode(rawName))) {
                String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
                String decoded = decode(rawValue);
                values.add(decoded == null ? rawValue : decoded);
            }
            start = end + 1;
        }
        return values;
    }

    /** Decodes form encoding; {@code null} when an escape is malformed. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0 || raw.charAt(i + 1) > 'f' || raw.charAt(i + 2) > 'f') {
                    return null;
                }
                bytes.write((high << 4) | low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
