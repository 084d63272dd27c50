package dev.sentinel.domain.net;

import java.util.Locale;
import java.util.Set;

/**
 * Names of request headers that claim a client address. Sentinel removes all of them before
 * forwarding and writes its own, so that nothing a client wrote reaches New API's IP checks.
 *
 * <p>Thread-safe: stateless.
 */
public final class ForwardingHeaders {

    /** The header a trusted proxy uses to name the client. */
    public static final String REAL_IP = "X-Real-IP";

    /** The header Sentinel sets beside {@link #REAL_IP} for New API's logs. */
    public static final String FORWARDED_FOR = "X-Forwarded-For";

    private static final Set<String> CLIENT_ADDRESS_HEADERS = Set.of(
            "x-real-ip",
            "x-forwarded-for",
            "forwarded",
            "forwarded-for",
            "x-forwarded",
            "x-original-forwarded-for",
            "cf-connecting-ip",
            "cf-connecting-ipv6",
            "true-client-ip",
            "x-client-ip",
            "x-cluster-client-ip",
            "fastly-client-ip",
            "x-appengine-user-ip",
            "x-azure-clientip",
            "x-envoy-external-address");

    private ForwardingHeaders() {
    }

    /**
     * Returns whether a header names a client address. Look-alikes count: underscores match
     * dashes and case is ignored, since some servers fold {@code X_Real_IP} into
     * {@code X-Real-IP}.
     *
     * @param name a header name as received
     * @return whether the header must be removed before forwarding
     */
    public static boolean claimsClientAddress(String name) {
        return CLIENT_ADDRESS_HEADERS.contains(normalise(name));
    }

    /**
     * Returns whether a header name is exactly {@code X-Real-IP}, ignoring case only.
     *
     * @param name a header name as received
     * @return whether it is the one header a trusted proxy may set
     */
    public static boolean isRealIp(String name) {
        return REAL_IP.equalsIgnoreCase(name);
    }

    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
