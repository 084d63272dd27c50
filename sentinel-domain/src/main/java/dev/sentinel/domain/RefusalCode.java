package dev.sentinel.domain;

/**
 * Why Sentinel answers a request itself instead of forwarding it. Each code has the HTTP
 * status and the machine-readable {@code code} of Sentinel's OpenAI-shaped error body.
 */
public enum RefusalCode {
    /** A trusted proxy sent no usable {@code X-Real-IP}. */
    INVALID_CLIENT_IP(400, "invalid_client_ip"),
    /** A credential is not in the shape of a New API key. */
    INVALID_API_KEY(400, "invalid_api_key"),
    /** Two different keys in one request: one could be checked and the other used. */
    AMBIGUOUS_CREDENTIALS(400, "ambiguous_credentials"),
    /** {@code Connection} names a header Sentinel relies on. */
    FORBIDDEN_CONNECTION_HEADER(400, "forbidden_connection_header"),
    /** The request is malformed in a way that would make checking it unreliable. */
    INVALID_REQUEST(400, "invalid_request"),
    /** The key is bound elsewhere or banned. */
    ACCESS_DENIED(403, "access_denied"),
    /** The client network created too many new bindings in the last minute. */
    BIND_RATE_LIMITED(429, "bind_rate_limited"),
    /** New API could not be reached. */
    DOWNSTREAM_UNREACHABLE(502, "downstream_unreachable"),
    /** The stores are down and the failsafe mode is {@code closed}. */
    FAILSAFE_CLOSED(503, "failsafe_closed"),
    /** New API did not answer in time. */
    DOWNSTREAM_TIMEOUT(504, "downstream_timeout");

    private final int httpStatus;
    private final String code;

    RefusalCode(int httpStatus, String code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    /** Returns the HTTP status of the refusal. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Returns the value of the error body's {@code code} field. */
    public String code() {
        return code;
    }
}
