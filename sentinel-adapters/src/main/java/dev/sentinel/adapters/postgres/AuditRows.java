package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.admin.Actor;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.ApiKey;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Writes audit rows, inside whatever transaction the handle is in, so a change and its
 * record commit together. Target and detail may quote what an admin typed (a filter, a
 * value), and an admin may paste a key anywhere: key-shaped text is stored as its hint.
 *
 * <p>Thread-safe: stateless.
 */
final class AuditRows {

    static final int MAX_ACTION_LENGTH = 64;
    static final int MAX_TARGET_LENGTH = 200;
    static final int MAX_DETAIL_LENGTH = 4000;

    private static final String INSERT = """
            INSERT INTO admin_audit (at, action, target, admin_ip, detail)
            VALUES (:at, :action, :target, CAST(:adminIp AS inet), :detail)""";

    private AuditRows() {
    }

    static void insert(Handle handle, Instant at, String action, String target, String detail,
            Actor actor) {
        handle.createUpdate(INSERT)
                .bind("at", SqlText.timestamp(at))
                .bind("action", SqlText.storable(action, MAX_ACTION_LENGTH))
                .bind("target", SqlText.storable(ApiKey.maskKeysIn(target), MAX_TARGET_LENGTH))
                .bind("adminIp", actor.address().toString())
                .bind("detail", SqlText.storable(ApiKey.maskKeysIn(detail),
                        MAX_DETAIL_LENGTH))
                .execute();
    }

    /** Names a binding in the audit: its hint and hash prefix, never more. */
    static String target(Binding binding) {
        return binding.hint() + " " + binding.tokenHash().prefix(12);
    }
}
