package dev.sentinel.app.websocket;

/**
 * Hears what happens to WebSocket connections, for metrics and logs. Key checks are
 * reported by the guard's own listener, as for HTTP requests.
 *
 * <p>Implementations must be thread-safe, fast, and must not throw: they are called on the
 * connections' own threads.
 */
public interface BridgeListener {

    /** A listener that ignores everything. */
    BridgeListener NONE = new BridgeListener() {
    };

    /**
     * A handshake was answered without an upgrade: refused by Sentinel, refused by New API,
     * or New API could not be reached.
     *
     * @param requestId the handshake's request id
     * @param status the HTTP status the client got
     * @param code Sentinel's refusal code, or {@code downstream} when the status is New
     *         API's own answer
     */
    default void refused(String requestId, int status, String code) {
    }

    /**
     * A connection is bridged: both handshakes are done and frames flow.
     *
     * @param requestId the handshake's request id
     */
    default void opened(String requestId) {
    }

    /**
     * A data frame (text or binary) crossed the bridge.
     *
     * @param direction which way
     * @param bytes its payload size
     */
    default void relayed(Direction direction, int bytes) {
    }

    /**
     * One side did not read fast enough: its queue filled up and both sides are being
     * closed.
     *
     * @param requestId the handshake's request id
     * @param direction the direction whose queue filled up
     */
    default void overflowed(String requestId, Direction direction) {
    }

    /**
     * A bridged connection ended; called once per {@link #opened}.
     *
     * @param requestId the handshake's request id
     * @param summary how it ended and what crossed
     */
    default void closed(String requestId, BridgeSummary summary) {
    }
}
