package dev.sentinel.app.proxy;

import dev.sentinel.domain.net.ForwardingHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which headers cross Sentinel and which do not (RFC 9110 section 7.6.1), and which the
 * {@code Connection} header may not name.
 *
 * <p>Thread-safe: immutable tables.
 */
public final class HeaderPolicy {

    /** Connection-specific headers: never forwarded in either direction. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authenticate", "proxy-authorization");

    /**
     * Headers the decision reads. If {@code Connection} could name one, hop-by-hop stripping
     * would remove what was checked, and a proxy further along might act on what was not.
     */
    private static final Set<String> RELIED_ON = Set.of("authorization", "x-api-key",
            "x-goog-api-key", "mj-api-secret", "sec-websocket-protocol", "host",
            "content-length", "transfer-encoding");

    private HeaderPolicy() {
    }

    /**
     * Returns whether a header is connection-specific, named by {@code Connection} or not.
     *
     * @param lowerName the header name, lower case
     * @return whether it is hop-by-hop
     */
    public static boolean isHopByHop(String lowerName) {
        return HOP_BY_HOP.contains(lowerName);
    }

    /**
     * Returns the lower-cased tokens of every {@code Connection} line.
     *
     * @param connectionValues the lines of {@code Connection}
     * @return the header names and options it lists
     */
    public static Set<String> connectionTokens(List<String> connectionValues) {
        Set<String> tokens = new HashSet<>();
        for (String line : connectionValues) {
            for (String token : line.split(",")) {
                String trimmed = token.strip().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }

    /**
     * Returns the first {@code Connection} token that names a header Sentinel relies on.
     *
     * @param tokens the tokens of {@link #connectionTokens}
     * @return the offending token, or empty when the header is harmless
     */
    public static Optional<String> reliedOnToken(Set<String> tokens) {
        for (String token : tokens) {
            if (RELIED_ON.contains(token) || ForwardingHeaders.claimsClientAddress(token)) {
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns whether a request header is forwarded to New API.
     *
     * @param lowerName the header name, lower case
     * @param connectionTokens the request's {@code Connection} tokens
     * @return whether to copy it
     */
    public static boolean forwardsRequestHeader(String lowerName, Set<String> connectionTokens) {
        return !HOP_BY_HOP.contains(lowerName)
                && !connectionTokens.contains(lowerName)
                && !ForwardingHeaders.claimsClientAddress(lowerName)
                && !lowerName.equals("host")
                && !lowerName.equals("expect");
    }

    /**
     * Returns whether a response header is passed back to the client.
     *
     * @param lowerName the header name, lower case
     * @param connectionTokens the response's {@code Connection} tokens
     * @return whether to copy it
     */
    public static boolean forwardsResponseHeader(String lowerName, Set<String> connectionTokens) {
        return !HOP_BY_HOP.contains(lowerName) && !connectionTokens.contains(lowerName);
    }
}
