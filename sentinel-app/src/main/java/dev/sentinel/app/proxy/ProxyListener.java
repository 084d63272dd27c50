package dev.sentinel.app.proxy;

import dev.sentinel.domain.RefusalCode;

/**
 * Hears the proxy's outcomes that the binding guard does not see, for metrics and logs.
 *
 * <p>Implementations must be thread-safe, fast, and must not throw.
 */
public interface ProxyListener {

    /** A listener that ignores everything. */
    ProxyListener NONE = new ProxyListener() {
    };

    /**
     * Sentinel refused a request before any binding decision (bad address, key, headers).
     *
     * @param code the refusal
     */
    default void refused(RefusalCode code) {
    }

    /**
     * New API answered.
     *
     * @param status its status
     * @param nanos from sending the request to receiving the status line
     */
    default void downstreamAnswered(int status, long nanos) {
    }

    /**
     * New API could not be reached or did not answer in time.
     *
     * @param code {@link RefusalCode#DOWNSTREAM_UNREACHABLE} or
     *         {@link RefusalCode#DOWNSTREAM_TIMEOUT}
     */
    default void downstreamFailed(RefusalCode code) {
    }

    /**
     * A body broke off mid-stream (client gone, or New API dropped the connection).
     *
     * @param cause a short description
     */
    default void streamBroken(String cause) {
    }
}
