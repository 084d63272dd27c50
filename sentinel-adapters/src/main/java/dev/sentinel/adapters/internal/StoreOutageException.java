package dev.sentinel.adapters.internal;

import dev.sentinel.domain.StoreUnavailableException;

/**
 * A store is unreachable: a connection-level failure, or a call refused at once because the
 * store's circuit is open. Other store failures (a bad statement, a constraint) are plain
 * {@link StoreUnavailableException}s and leave the circuit closed.
 *
 * <p>Thrown for every call while a store is down, so it records no stack trace: the cause,
 * when there is one, carries the interesting one. Thread-safe once thrown, like any
 * exception that is not changed afterwards.
 */
public final class StoreOutageException extends StoreUnavailableException {

    /**
     * Creates an exception.
     *
     * @param message which store and what happened
     * @param cause the connection failure, or {@code null} when the circuit refused the call
     */
    public StoreOutageException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
