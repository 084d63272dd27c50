package dev.sentinel.domain.binding;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One stopped request, as the intercept log records it. It holds no key and no query
 * string (a key can travel in {@code ?key=}).
 *
 * @param at when it was stopped
 * @param tokenHash the key's identity
 * @param hint the key's display hint
 * @param clientIp the address it came from
 * @param boundRules the binding's networks at the time
 * @param method the HTTP method
 * @param path the request path; anything from the first {@code ?} on is dropped
 * @param userAgent the {@code User-Agent} header, empty when absent
 * @param reason why it was stopped
 */
public record Intercept(
        Instant at,
        TokenHash tokenHash,
        String hint,
        IpAddress clientIp,
        List<Cidr> boundRules,
        String method,
        String path,
        String userAgent,
        InterceptReason reason) {

    /** Checks that nothing is missing, copies the rules and drops a query from the path. */
    public Intercept {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(clientIp, "clientIp");
        boundRules = List.copyOf(Objects.requireNonNull(boundRules, "boundRules"));
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(reason, "reason");
    }
}
