package dev.sentinel.domain.port;

import dev.sentinel.domain.net.Cidr;
import java.time.Duration;

/**
 * Counts new bindings per client network in a sliding minute, across replicas, so that one
 * network cannot bind an unbounded number of keys (which would let it claim leaked keys
 * wholesale).
 *
 * <p>Implementations must be thread-safe and never throw: without a shared counter store
 * they count in-process.
 */
public interface BindQuota {

    /**
     * Takes one new binding from a network's allowance.
     *
     * @param network the client's network at the bind prefix
     * @param perMinute the allowance per sliding minute, at least 1
     * @return granted, or exhausted with how long until one is free again
     */
    Grant acquire(Cidr network, int perMinute);

    /**
     * Gives a grant back: the first use lost the race, so it created nothing.
     *
     * @param grant a grant {@link #acquire} returned
     */
    void refund(Grant grant);

    /** The outcome of {@link #acquire}. */
    sealed interface Grant {
    }

    /**
     * One new binding may be created.
     *
     * @param network the network it was counted against
     * @param ticket an implementation's handle to refund it by
     */
    record Granted(Cidr network, String ticket) implements Grant {
    }

    /**
     * The allowance is used up.
     *
     * @param retryAfter when the oldest counted binding leaves the window
     */
    record Exhausted(Duration retryAfter) implements Grant {
    }
}
