package dev.sentinel.domain.port;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.guard.AccessAttempt;
import dev.sentinel.domain.guard.FailsafeMode;

/**
 * Hears what the guard decides, so that an application can log and count it; the domain
 * forces no logging framework on embedders.
 *
 * <p>Every method has an empty default. Implementations must be thread-safe, fast, and must
 * not throw.
 */
public interface GuardListener {

    /** A listener that ignores everything. */
    GuardListener NONE = new GuardListener() {
    };

    /**
     * A bound key was used from inside its networks.
     *
     * @param attempt the request
     * @param binding the binding it matched
     */
    default void allowed(AccessAttempt attempt, Binding binding) {
    }

    /**
     * A key's first use bound it.
     *
     * @param attempt the request
     * @param binding the new binding
     */
    default void bound(AccessAttempt attempt, Binding binding) {
    }

    /**
     * An unbound key was passed through on an exempt path without binding it.
     *
     * @param attempt the request
     */
    default void passedUnbound(AccessAttempt attempt) {
    }

    /**
     * A bound key was stopped.
     *
     * @param attempt the request
     * @param binding the binding it broke
     * @param reason why
     */
    default void intercepted(AccessAttempt attempt, Binding binding, InterceptReason reason) {
    }

    /**
     * A request was refused before any binding decision (for example the new-binding limit).
     *
     * @param attempt the request
     * @param code the refusal
     */
    default void refused(AccessAttempt attempt, RefusalCode code) {
    }

    /**
     * The store could not decide, so the failsafe mode did.
     *
     * @param attempt the request
     * @param mode the mode in force
     * @param cause why the store could not answer
     */
    default void failsafe(AccessAttempt attempt, FailsafeMode mode, RuntimeException cause) {
    }

    /**
     * The store could not answer and a cache entry past its freshness decided.
     *
     * @param attempt the request
     */
    default void staleEntryUsed(AccessAttempt attempt) {
    }

    /**
     * A first use was undone because New API refused the key or never answered.
     *
     * @param binding the binding that was removed
     * @param why the downstream outcome, for the log
     */
    default void firstUseUndone(Binding binding, String why) {
    }

    /**
     * A first use should have been undone but the store could not do it.
     *
     * @param binding the binding that stays
     * @param cause the store failure
     */
    default void undoFailed(Binding binding, RuntimeException cause) {
    }
}
