package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.SentinelException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingStore;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Bindings in PostgreSQL's {@code binding} table.
 *
 * <p>Thread-safe: every call borrows its own pooled connection.
 */
final class PostgresBindingStore implements BindingStore {

    static final int MAX_HINT_LENGTH = 64;
    static final int MAX_NOTE_LENGTH = 2000;

    private static final String FIND = "SELECT " + BindingRowMapper.COLUMNS
            + " FROM binding WHERE token_hash = CAST(:tokenHash AS char(64))";

    private static final String INSERT_UNLESS_BOUND = """
            INSERT INTO binding (token_hash, hint, rules, status, rules_set_by_admin,
                    bound_at, last_seen_at, last_ip, note, revision, updated_at)
            VALUES (CAST(:tokenHash AS char(64)), :hint, CAST(:rules AS cidr[]), :status,
                    :rulesSetByAdmin, :boundAt, :lastSeenAt, CAST(:lastIp AS inet), :note, 0,
                    now())
            ON CONFLICT (token_hash) DO NOTHING
            RETURNING\s""" + BindingRowMapper.COLUMNS;

    private static final String DELETE_UNCHANGED =
            "DELETE FROM binding WHERE id = :id AND revision = 0";

    /** A row can vanish between our insert and re-read (undone); a few tries always do. */
    private static final int MAX_ATTEMPTS = 5;

    private final Jdbi jdbi;
    private final StoreCircuit circuit;

    PostgresBindingStore(Jdbi jdbi, StoreCircuit circuit) {
        this.jdbi = jdbi;
        this.circuit = circuit;
    }

    @Override
    public Optional<Binding> find(TokenHash tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return circuit.call("find a binding", () -> jdbi.withHandle(handle ->
                find(handle, tokenHash)));
    }

    /**
     * The first-use race, settled by the unique key on {@code token_hash}:
     * <ol>
     *   <li>Insert the candidate unless a row for the key exists. A concurrent insert of
     *       the same key makes this statement wait for that transaction, then do nothing.
     *       </li>
     *   <li>A returned row means this call created it: it won.</li>
     *   <li>Otherwise re-read in a new statement, whose snapshot sees the winner's committed
     *       row; the caller is judged against it.</li>
     *   <li>If the winner's row is gone again (its first use was undone), try again.</li>
     * </ol>
     */
    @Override
    public FirstUse bindIfAbsent(Binding candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return circuit.call("bind a key", () -> jdbi.withHandle(handle -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Optional<Binding> inserted = insertUnlessBound(handle, candidate);
                if (inserted.isPresent()) {
                    return new FirstUse(inserted.get(), true);
                }
                Optional<Binding> winner = find(handle, candidate.tokenHash());
                if (winner.isPresent()) {
                    return new FirstUse(winner.get(), false);
                }
            }
            throw new SentinelException("binding key " + candidate.tokenHash().prefix(12)
                    + "… neither inserted nor found after " + MAX_ATTEMPTS + " attempts");
        }));
    }

    @Override
    public boolean undoFirstUse(Binding created) {
        Objects.requireNonNull(created, "created");
        return circuit.call("undo a first use", () -> jdbi.withHandle(handle ->
                handle.createUpdate(DELETE_UNCHANGED)
                        .bind("id", created.id())
                        .execute() == 1));
    }

    private static Optional<Binding> find(Handle handle, TokenHash tokenHash) {
        return handle.createQuery(FIND)
                .bind("tokenHash", tokenHash.hex())
                .map(BindingRowMapper.INSTANCE)
                .findOne();
    }

    private static Optional<Binding> insertUnlessBound(Handle handle, Binding candidate) {
        return handle.createQuery(INSERT_UNLESS_BOUND)
                .bind("tokenHash", candidate.tokenHash().hex())
                .bind("hint", SqlText.storable(candidate.hint(), MAX_HINT_LENGTH))
                .bindArray("rules", String.class, (Object[]) SqlText.cidrs(candidate.rules()))
                .bind("status", BindingRowMapper.status(candidate.status()))
                .bind("rulesSetByAdmin", candidate.rulesSetByAdmin())
                .bind("boundAt", SqlText.timestamp(candidate.boundAt()))
                .bind("lastSeenAt", SqlText.timestamp(candidate.lastSeenAt()))
                .bind("lastIp", candidate.lastIp().map(IpAddress::toString).orElse(null))
                .bind("note", SqlText.storable(candidate.note(), MAX_NOTE_LENGTH))
                .map(BindingRowMapper.INSTANCE)
                .findOne();
    }
}
