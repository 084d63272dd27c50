package dev.sentinel.adapters.admin;

import dev.sentinel.domain.StoreUnavailableException;
import java.util.Map;

/**
 * The live settings an admin changed, as text by configuration variable
 * ({@code SENTINEL_FAILSAFE_MODE} → {@code open}). A setting without a stored value takes the
 * environment's. Validation is the caller's: the store keeps text.
 *
 * <p>Implementations are thread-safe. Methods throw {@link StoreUnavailableException} when the
 * store cannot answer.
 */
public interface SettingsStore {

    /** Returns every stored value by variable name. */
    Map<String, String> load();

    /**
     * Stores values, all or none, and audits the change.
     *
     * @param values new values by variable name
     * @param auditDetail what the audit row says changed (secrets already masked)
     * @param actor who asked
     */
    void save(Map<String, String> values, String auditDetail, Actor actor);

    /**
     * Forgets a stored value, so that the environment's applies again, and audits it.
     *
     * @param name the variable name
     * @param actor who asked
     * @return whether a value was stored
     */
    boolean remove(String name, Actor actor);
}
