package dev.sentinel.adapters.admin;

import dev.sentinel.domain.binding.Binding;
import java.util.Objects;

/**
 * The outcome of binding a key before its first use: created, or bound already (then
 * nothing changed).
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface PreBind {

    /** Returns the binding the key has now. */
    Binding binding();

    /**
     * The binding was created as asked.
     *
     * @param binding the new binding
     */
    record Created(Binding binding) implements PreBind {
        /** Checks that the binding is present. */
        public Created {
            Objects.requireNonNull(binding, "binding");
        }
    }

    /**
     * The key was bound already; its binding is unchanged.
     *
     * @param binding the existing binding
     */
    record AlreadyBound(Binding binding) implements PreBind {
        /** Checks that the binding is present. */
        public AlreadyBound {
            Objects.requireNonNull(binding, "binding");
        }
    }
}
