package dev.sentinel.adapters.postgres;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * A WHERE clause built from optional criteria, each a fixed SQL fragment with named
 * parameters: values are always bound, never spliced into the text.
 *
 * <p>Not thread-safe: build and use it in one call.
 */
final class Conditions {

    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds a fragment and the values of its parameters. */
    Conditions add(String clause, Map<String, Object> parameters) {
        clauses.add(clause);
        values.putAll(parameters);
        return this;
    }

    /** Returns {@code WHERE a AND b ...}, or nothing without criteria. */
    String where() {
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    /** Binds every parameter to a statement. */
    <S extends SqlStatement<S>> S bind(S statement) {
        values.forEach(statement::bind);
        return statement;
    }

    /** Returns {@code %text%} for ILIKE with the pattern characters of {@code text} escaped. */
    static String contains(String text) {
        StringBuilder pattern = new StringBuilder(text.length() + 2).append('%');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }
}
