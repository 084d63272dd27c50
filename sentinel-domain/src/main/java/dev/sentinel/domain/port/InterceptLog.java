package dev.sentinel.domain.port;

import dev.sentinel.domain.binding.Intercept;

/**
 * Where stopped requests are recorded for admins.
 *
 * <p>Implementations must be thread-safe, must not block a request on a slow store, and must
 * never throw: while the store is down they buffer, and count what they had to drop.
 */
public interface InterceptLog {

    /**
     * Records one stopped request.
     *
     * @param intercept the request
     */
    void record(Intercept intercept);
}
