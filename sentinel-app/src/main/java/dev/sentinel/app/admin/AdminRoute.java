package dev.sentinel.app.admin;

import java.util.Objects;

/**
 * One route of the admin API as registered: its method, its path template (with
 * {@code {name}} parameters, as in the OpenAPI document) and whether it needs a token.
 *
 * <p>Immutable and thread-safe.
 *
 * @param method the HTTP method, such as {@code GET}
 * @param path the path template, such as {@code /admin/api/bindings/{tokenHash}}
 * @param requiresToken whether a valid {@code Authorization: Bearer} token is required
 */
public record AdminRoute(String method, String path, boolean requiresToken) {

    /** Checks that nothing is missing. */
    public AdminRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }

    /** Returns whether a concrete path fits this route's template. */
    boolean matches(String concretePath) {
        String[] template = path.split("/", -1);
        String[] actual = concretePath.split("/", -1);
        if (template.length != actual.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
            if (parameter ? actual[i].isEmpty() : !template[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }
}
