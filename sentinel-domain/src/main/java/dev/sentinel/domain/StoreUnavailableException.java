package dev.sentinel.domain;

/**
 * A store could not answer in time: it is down, unreachable, or its circuit is open. The
 * guard turns it into the failure-mode behaviour of the specification (a stale cache entry,
 * or the failsafe mode); it never reaches a client as a 500.
 */
public class StoreUnavailableException extends SentinelException {

    /**
     * Creates an exception.
     *
     * @param message which store and what happened
     * @param cause the underlying failure, may be {@code null} when the circuit is open
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
