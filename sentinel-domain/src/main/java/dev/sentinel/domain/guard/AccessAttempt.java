package dev.sentinel.domain.guard;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.util.Objects;

/**
 * One keyed request, as the guard sees it: whose key, from where, to what.
 *
 * @param tokenHash the key's identity
 * @param hint the key's display hint
 * @param clientIp the resolved client address
 * @param method the HTTP method
 * @param rawPath the path as sent, percent-encoded; anything from the first {@code ?} on is
 *         dropped, because a key can travel in the query
 * @param userAgent the {@code User-Agent} header, empty when absent
 */
public record AccessAttempt(
        TokenHash tokenHash,
        String hint,
        IpAddress clientIp,
        String method,
        String rawPath,
        String userAgent) {

    /** Checks that nothing is missing and drops a query from the path. */
    public AccessAttempt {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(userAgent, "userAgent");
        int query = rawPath.indexOf('?');
        rawPath = query < 0 ? rawPath : rawPath.substring(0, query);
    }
}
