package dev.sentinel.domain.port;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import java.util.Optional;

/**
 * The authoritative record of bindings (PostgreSQL in Sentinel's own adapters).
 *
 * <p>Implementations must be thread-safe, answer within a short timeout, and throw
 * {@link dev.sentinel.domain.StoreUnavailableException} when they cannot; a dead store
 * should fail fast rather than make every request wait for a timeout.
 */
public interface BindingStore {

    /**
     * Finds the binding of a key.
     *
     * @param tokenHash the key's identity
     * @return the binding, or empty when the key is unbound
     */
    Optional<Binding> find(TokenHash tokenHash);

    /**
     * Binds a key unless it is bound already, atomically across threads and replicas:
     * exactly one concurrent first use wins, and every caller learns which binding holds.
     *
     * @param candidate the binding this first use would create (id 0)
     * @return the binding now in force, and whether this call created it
     */
    FirstUse bindIfAbsent(Binding candidate);

    /**
     * Deletes the binding a first use created, but only that row and only if nobody has
     * changed it since (same id, revision 0).
     *
     * @param created the binding {@link #bindIfAbsent} created
     * @return whether the row was deleted
     */
    boolean undoFirstUse(Binding created);

    /**
     * The outcome of {@link #bindIfAbsent}.
     *
     * @param binding the binding in force after the call
     * @param created whether this call created it
     */
    record FirstUse(Binding binding, boolean created) {
    }
}
