package dev.sentinel.adapters.admin;

import dev.sentinel.domain.StoreUnavailableException;
import java.util.Optional;

/**
 * The record of admin actions. Store methods that change something audit themselves; this
 * records the rest (logins, lookups, exports) and lists everything.
 *
 * <p>Implementations are thread-safe. Methods throw {@link StoreUnavailableException} when the
 * store cannot answer.
 */
public interface AdminAudit {

    /**
     * Records an action.
     *
     * @param action what was done, such as {@code admin.login}
     * @param target what it was done to
     * @param detail more about it, empty when nothing
     * @param actor who did it
     */
    void record(String action, String target, String detail, Actor actor);

    /**
     * Lists actions, newest first.
     *
     * @param action only this action, or every action when empty
     * @param page which page
     * @return the page
     */
    Page<AuditEntry> list(Optional<String> action, PageRequest page);
}
