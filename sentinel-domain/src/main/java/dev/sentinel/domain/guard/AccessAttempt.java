package dev.sentinel.domain.guard;

import dev.sentinel.domain.credential.ApiKey;
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
 *         dropped, because a key can travel in the query, and anything key-shaped is
 *         replaced by its hint ({@link ApiKey#maskKeysIn})
 * @param userAgent the {@code User-Agent} header, empty when absent, key-shaped runs masked
 *         like the path's
 */
public record AccessAttempt(
        TokenHash tokenHash,
        String hint,
        IpAddress clientIp,
        String method,
        String rawPath,
        String userAgent) {

    /**
     * Checks that nothing is missing, drops a query from the path and masks keys: the path
     * and the user agent go into the intercept log and the log.
     */
    public AccessAttempt {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(userAgent, "userAgent");
        int query = rawPath.indexOf('?');
        rawPath = ApiKey.maskKeysIn(query < 0 ? rawPath : rawPath.substring(0, query));
        userAgent = ApiKey.maskKeysIn(userAgent);
    }
}
