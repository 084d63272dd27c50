package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.credential.TokenHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Idle bindings moved to {@code archived_binding}, under a transaction-scoped advisory lock
 * named after the schema, so that one replica per deployment archives at a time and a lock
 * can never outlive its transaction (a pooled connection keeps its session).
 *
 * <ol>
 *   <li>Try the lock; if another replica holds it, report busy.</li>
 *   <li>Delete a batch of idle rows and insert them into the archive in one statement, so a
 *       row is moved exactly once. Rows locked by a concurrent change are skipped; the next
 *       run sees them again if they are still idle.</li>
 *   <li>Repeat until a batch comes back short or the limit is reached, then commit.</li>
 * </ol>
 *
 * <p>Thread-safe: every run borrows its own pooled connection.
 */
final class PostgresBindingArchive implements BindingArchive {

    static final int BATCH_SIZE = 1000;

    /** The first half of the advisory lock's key: "SENT" in ASCII. */
    private static final int LOCK_SPACE = 0x53454E54;

    private static final String TRY_LOCK =
            "SELECT pg_try_advisory_xact_lock(:space, hashtext(current_schema()))";

    private static final String MOVE_BATCH = """
            WITH idle AS (
                SELECT id FROM binding
                 WHERE status = 'active' AND NOT rules_set_by_admin
                   AND last_seen_at < :lastAllowedBefore
                 ORDER BY last_seen_at
                 LIMIT :batch
                 FOR UPDATE SKIP LOCKED
            ), moved AS (
                DELETE FROM binding AS b USING idle WHERE b.id = idle.id
                RETURNING b.*
            )
            INSERT INTO archived_binding (binding_id, token_hash, hint, rules, status,
                    rules_set_by_admin, bound_at, last_seen_at, last_ip, note, revision,
                    archived_at)
            SELECT id, token_hash, hint, rules, status, rules_set_by_admin, bound_at,
                   last_seen_at, last_ip, note, revision, :archivedAt
              FROM moved
            RETURNING token_hash""";

    private final Jdbi jdbi;
    private final StoreCircuit circuit;

    PostgresBindingArchive(Jdbi jdbi, StoreCircuit circuit) {
        this.jdbi = jdbi;
        this.circuit = circuit;
    }

    @Override
    public ArchiveRun archiveIdle(Instant lastAllowedBefore, Instant archivedAt, int limit) {
        Objects.requireNonNull(lastAllowedBefore, "lastAllowedBefore");
        Objects.requireNonNull(archivedAt, "archivedAt");
        if (limit < 1) {
            throw new IllegalArgumentException("archive limit " + limit
                    + " is not positive: expected at least 1");
        }
        return circuit.call("archive idle bindings", () -> jdbi.inTransaction(handle -> {
            boolean ours = handle.createQuery(TRY_LOCK)
                    .bind("space", LOCK_SPACE)
                    .mapTo(Boolean.class)
                    .one();
            if (!ours) {
                return new Busy();
            }
            List<TokenHash> moved = new ArrayList<>();
            while (moved.size() < limit) {
                int batch = Math.min(BATCH_SIZE, limit - moved.size());
                List<TokenHash> done = moveBatch(handle, lastAllowedBefore, archivedAt, batch);
                moved.addAll(done);
                if (done.size() < batch) {
                    break;
                }
            }
            return new Archived(moved);
        }));
    }

    private static List<TokenHash> moveBatch(Handle handle, Instant lastAllowedBefore,
            Instant archivedAt, int batch) {
        return handle.createQuery(MOVE_BATCH)
                .bind("lastAllowedBefore", SqlText.timestamp(lastAllowedBefore))
                .bind("archivedAt", SqlText.timestamp(archivedAt))
                .bind("batch", batch)
                .map((rs, ctx) -> new TokenHash(rs.getString(1)))
                .list();
    }
}
