package dev.sentinel.domain;

/**
 * The root of Sentinel's unchecked exceptions. Expected outcomes (a key bound elsewhere, a
 * malformed header) are values, never exceptions; exceptions mean misconfiguration, an
 * unavailable store, or a bug.
 */
public class SentinelException extends RuntimeException {

    /**
     * Creates an exception.
     *
     * @param message what went wrong, naming the thing and the value
     */
    public SentinelException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what went wrong, naming the thing and the value
     * @param cause the underlying failure
     */
    public SentinelException(String message, Throwable cause) {
        super(message, cause);
    }
}
