package dev.sentinel.adapters.admin;

import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import java.util.List;
import java.util.Optional;

/**
 * What admins do to bindings in the authoritative store. Every change increments the
 * binding's revision (so that an undo of a first use never deletes an edited row) and is
 * audited in the same transaction. Caches are the caller's business: after a change it must
 * evict the key.
 *
 * <p>Implementations are thread-safe. Methods throw {@link StoreUnavailableException} when the
 * store cannot answer.
 */
public interface BindingAdmin {

    /** The longest note kept. */
    int MAX_NOTE_LENGTH = 2000;

    /** The most rules one binding may have. */
    int MAX_RULES = 64;

    /**
     * Lists bindings, newest first.
     *
     * @param filter which bindings
     * @param page which page
     * @return the page
     */
    Page<Binding> list(BindingFilter filter, PageRequest page);

    /**
     * Finds a key's binding.
     *
     * @param tokenHash the key's identity
     * @return the binding, or empty when the key is not bound
     */
    Optional<Binding> find(TokenHash tokenHash);

    /** Returns how many bindings there are, by status. */
    BindingCounts counts();

    /**
     * Replaces a binding's rules and marks them as set by an admin (never archived).
     *
     * @param tokenHash the key's identity
     * @param rules 1 to {@value #MAX_RULES} networks
     * @param actor who asked
     * @return the changed binding, or empty when the key is not bound
     */
    Optional<Binding> replaceRules(TokenHash tokenHash, List<Cidr> rules, Actor actor);

    /**
     * Bans or unbans a key.
     *
     * @param tokenHash the key's identity
     * @param status the new status
     * @param actor who asked
     * @return the changed binding, or empty when the key is not bound
     */
    Optional<Binding> setStatus(TokenHash tokenHash, BindingStatus status, Actor actor);

    /**
     * Replaces a binding's note.
     *
     * @param tokenHash the key's identity
     * @param note at most {@value #MAX_NOTE_LENGTH} characters, empty for none
     * @param actor who asked
     * @return the changed binding, or empty when the key is not bound
     */
    Optional<Binding> setNote(TokenHash tokenHash, String note, Actor actor);

    /**
     * Deletes a binding; the key's next use binds it again.
     *
     * @param tokenHash the key's identity
     * @param actor who asked
     * @return the binding as it was, or empty when the key was not bound
     */
    Optional<Binding> unbind(TokenHash tokenHash, Actor actor);

    /**
     * Binds a key that has not been used yet, with rules an admin chose.
     *
     * @param candidate the binding to create: its id and revision are ignored
     * @param actor who asked
     * @return created, or the binding the key already had
     */
    PreBind preBind(Binding candidate, Actor actor);
}
