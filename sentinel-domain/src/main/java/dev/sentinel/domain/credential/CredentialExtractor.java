package dev.sentinel.domain.credential;

import dev.sentinel.domain.RefusalCode;
import java.util.Objects;

/**
 * Finds every model API key a request carries, in every place New API reads one, on every
 * path: New API's own routing changes between versions, so where a key is looked for must
 * not depend on the path.
 *
 * <p>Stateless and thread-safe.
 */
public final class CredentialExtractor {

    private static final String BEARER = "Bearer ";
    private static final String BEARER_LOWER = "bearer ";
    private static final String MIDJOURNEY_PLACEHOLDER = "midjourney-proxy";
    private static final String INSECURE_KEY_PROTOCOL = "openai-insecure-api-key.";

    /**
     * Extracts the request's key.
     *
     * @param request the request's headers and query
     * @return no key, the one key, or a refusal when a candidate is malformed or two
     *         candidates name different tokens
     */
    public CredentialExtraction extract(RequestView request) {
        Objects.requireNonNull(request, "request");
        Accumulator found = new Accumulator();

        for (String value : request.headerValues("Authorization")) {
            found.offer(CredentialSource.AUTHORIZATION, withoutBearer(value));
        }
        for (String value : request.headerValues("x-api-key")) {
            found.offer(CredentialSource.X_API_KEY, value);
        }
        for (String value : request.headerValues("x-goog-api-key")) {
            found.offer(CredentialSource.X_GOOG_API_KEY, value);
        }
        for (String value : request.queryValues("key")) {
            found.offer(CredentialSource.KEY_QUERY, value);
        }
        for (String value : request.headerValues("mj-api-secret")) {
            found.offer(CredentialSource.MJ_API_SECRET, withoutBearer(value));
        }
        for (String line : request.headerValues("Sec-WebSocket-Protocol")) {
            offerWebSocketProtocols(found, line);
        }
        return found.result();
    }

    /** New API strips exactly these two spellings; any other scheme stays in the value. */
    private static String withoutBearer(String value) {
        // An empty token arrives without its space, since HTTP strips trailing whitespace.
        String bare = value.strip();
        if (bare.equals(BEARER.strip()) || bare.equals(BEARER_LOWER.strip())) {
            return "";
        }
        if (value.startsWith(BEARER) || value.startsWith(BEARER_LOWER)) {
            return value.substring(BEARER.length());
        }
        return value;
    }

    /**
     * A line yields the part after {@code openai-insecure-api-key.} of each entry that has
     * one; a line without such an entry is itself the key (New API writes it into
     * {@code Authorization}) unless it only lists sub-protocol names.
     */
    private static void offerWebSocketProtocols(Accumulator found, String line) {
        String[] entries = line.split(",", -1);
        boolean anyKeyEntry = false;
        boolean onlyProtocolNames = true;
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.startsWith(INSECURE_KEY_PROTOCOL)) {
                anyKeyEntry = true;
                found.offer(CredentialSource.WEBSOCKET_PROTOCOL,
                        entry.substring(INSECURE_KEY_PROTOCOL.length()));
            } else if (!entry.isEmpty() && !isProtocolName(entry)) {
                onlyProtocolNames = false;
            }
        }
        if (!anyKeyEntry && !onlyProtocolNames) {
            found.offer(CredentialSource.WEBSOCKET_PROTOCOL, line);
        }
    }

    /**
     * Sub-protocol names realtime clients send beside a key. {@code responses} is the
     * Responses API's WebSocket mode in newer New API builds; without it here, such a client
     * sending its key in {@code Authorization} would be refused as carrying two keys.
     */
    private static boolean isProtocolName(String entry) {
        return entry.equals("realtime") || entry.equals("responses")
                || entry.startsWith("openai-beta.");
    }

    /** Collects candidates and keeps the first refusal. */
    private static final class Accumulator {

        private ApiKey key;
        private CredentialSource keySource;
        private CredentialExtraction.Rejected rejected;

        void offer(CredentialSource source, String candidate) {
            if (rejected != null) {
                return;
            }

            // An empty value is no credential at all; New API treats it as missing.
            String trimmed = candidate.strip();
            if (trimmed.isEmpty() || trimmed.equals(MIDJOURNEY_PLACEHOLDER)) {
                return;
            }

            // A malformed value might still match a token under a lenient collation.
            ApiKey candidateKey = ApiKey.canonicalise(trimmed);
            if (candidateKey == null) {
                rejected = new CredentialExtraction.Rejected(RefusalCode.INVALID_API_KEY,
                        "the value in " + source.label() + " is not a model API key: "
                                + "expected sk- followed by ASCII letters and digits");
                return;
            }

            // Two different tokens: one could be checked and the other one used.
            if (key != null && !key.sameTokenAs(candidateKey)) {
                rejected = new CredentialExtraction.Rejected(
                        RefusalCode.AMBIGUOUS_CREDENTIALS, "the request carries two different "
                        + "keys (in " + keySource.label() + " and " + source.label()
                        + "); send one");
                return;
            }
            if (key == null) {
                key = candidateKey;
                keySource = source;
            }
        }

        CredentialExtraction result() {
            if (rejected != null) {
                return rejected;
            }
            return key == null
                    ? new CredentialExtraction.NoCredential()
                    : new CredentialExtraction.Found(key);
        }
    }
}
