package dev.sentinel.app.admin;

import dev.sentinel.adapters.admin.HashPrefixes;
import dev.sentinel.adapters.admin.PageRequest;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import io.helidon.common.uri.UriQuery;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an admin request's query parameters. Each is given at most once; unknown names are
 * refused, so a misspelt filter is an error rather than a silently wider result. Every
 * error is a 400 naming the parameter, the value and what was expected.
 *
 * <p>Not thread-safe: it belongs to the request's thread.
 */
final class QueryParams {

    private static final int MAX_TEXT = 200;

    private final UriQuery query;

    QueryParams(UriQuery query, Set<String> allowed) {
        this.query = query;
        for (String name : query.names()) {
            if (!allowed.contains(name)) {
                throw invalid("unknown query parameter '" + AdminJson.shorten(name)
                        + "': expected only " + new TreeSet<>(allowed));
            }
            if (query.all(name).size() > 1) {
                throw invalid("query parameter '" + name + "' is given "
                        + query.all(name).size() + " times: expected it once");
            }
        }
    }

    /** Returns {@code page} and {@code size}. */
    PageRequest page() {
        int page = number("page", 1, 1, PageRequest.MAX_PAGE);
        int size = number("size", PageRequest.DEFAULT_SIZE, 1, PageRequest.MAX_SIZE);
        return new PageRequest(page, size);
    }

    /** Returns a non-blank text parameter of bounded length. */
    Optional<String> text(String name) {
        Optional<String> value = raw(name).filter(text -> !text.isBlank());
        value.ifPresent(text -> {
            if (text.length() > MAX_TEXT) {
                throw invalid(name + " has " + text.length() + " characters: expected at most "
                        + MAX_TEXT);
            }
        });
        return value.map(String::strip);
    }

    /** Returns {@code hashPrefix}: 1 to 64 hex digits, in either case. */
    Optional<String> hashPrefix() {
        return text("hashPrefix").map(text -> {
            try {
                return HashPrefixes.check(text.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        });
    }

    /** Returns {@code status}: active or banned. */
    Optional<BindingStatus> status() {
        return text("status").map(text -> switch (text) {
            case "active" -> BindingStatus.ACTIVE;
            case "banned" -> BindingStatus.BANNED;
            default -> throw invalid("status='" + AdminJson.shorten(text) + "' is not valid: "
                    + "expected active or banned");
        });
    }

    /** Returns an IP address parameter. */
    Optional<IpAddress> address(String name) {
        return text(name).map(text -> IpAddress.parse(text).orElseThrow(() ->
                AdminProblem.badRequest("invalid_ip", name + "='" + AdminJson.shorten(text)
                        + "' is not an IP address: expected one such as 192.0.2.7 or "
                        + "2001:db8::1")));
    }

    /** Returns a network parameter: a CIDR, or an address as a single-host network. */
    Optional<Cidr> network(String name) {
        return text(name).map(text -> {
            try {
                return Cidr.parse(text);
            } catch (IllegalArgumentException e) {
                throw AdminProblem.badRequest("invalid_cidr", name + ": " + e.getMessage());
            }
        });
    }

    /** Returns an ISO-8601 instant, such as {@code 2024-05-01T10:00:00Z}. */
    Optional<Instant> instant(String name) {
        return text(name).map(text -> {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                throw invalid(name + "='" + AdminJson.shorten(text) + "' is not a time: "
                        + "expected ISO-8601 with an offset, such as 2024-05-01T10:00:00Z");
            }
        });
    }

    /** Returns {@code reason}: an intercept reason code. */
    Optional<InterceptReason> reason() {
        return text("reason").map(text -> {
            try {
                return InterceptReason.ofCode(text);
            } catch (IllegalArgumentException e) {
                throw invalid("reason='" + AdminJson.shorten(text) + "' is not valid: expected "
                        + "outside_bound_networks or banned");
            }
        });
    }

    private int number(String name, int fallback, int min, int max) {
        Optional<String> text = raw(name);
        if (text.isEmpty()) {
            return fallback;
        }
        String value = text.get().strip();
        if (value.matches("[0-9]{1,9}")) {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        }
        throw invalid(name + "='" + AdminJson.shorten(value) + "' is out of range: expected "
                + "a whole number from " + min + " to " + max);
    }

    private Optional<String> raw(String name) {
        if (!query.contains(name)) {
            return Optional.empty();
        }
        List<String> values = query.all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static AdminProblem invalid(String message) {
        return AdminProblem.badRequest("invalid_parameter", message);
    }
}
