package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.SentinelException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bindings in PostgreSQL's {@code binding} table.
 *
 * <p>First uses of concurrent requests share statements ({@link BindingBatches}); lookups
 * do not: a cached plan for {@code token_hash = ANY (...)}, made while the table was new and
 * small, scanned the whole table for as long as the connection lived. Plain JDBC, not
 * JDBI: these statements run on every cache miss and first use, and JDBI's per-statement
 * argument and configuration lookups cost as much CPU as the driver.
 *
 * <p>Thread-safe: every statement borrows its own pooled connection.
 */
final class PostgresBindingStore implements BindingStore {

    static final int MAX_HINT_LENGTH = 64;
    static final int MAX_NOTE_LENGTH = 2000;

    private static final String FIND = "SELECT " + BindingRowMapper.COLUMNS
            + " FROM binding WHERE token_hash = CAST(? AS char(64))";

    private static final String INSERT_UNLESS_BOUND = """
            INSERT INTO binding (token_hash, hint, rules, status, rules_set_by_admin,
                    bound_at, last_seen_at, last_ip, note, revision, updated_at)
            VALUES (CAST(? AS char(64)), ?, CAST(? AS cidr[]), ?, ?, ?, ?, CAST(? AS inet), ?,
                    0, now())
            ON CONFLICT (token_hash) DO NOTHING
            RETURNING\s""" + BindingRowMapper.COLUMNS;

    /**
     * The batch form: one row per array element, inserted in array order (the caller sorts
     * by token hash, so that batches sharing keys cannot deadlock).
     */
    private static final String INSERT_ALL_UNLESS_BOUND = """
            INSERT INTO binding (token_hash, hint, rules, status, rules_set_by_admin,
                    bound_at, last_seen_at, last_ip, note, revision, updated_at)
            SELECT CAST(c.token_hash AS char(64)), c.hint, CAST(c.rules AS cidr[]), c.status,
                    c.rules_set_by_admin, CAST(c.bound_at AS timestamptz),
                    CAST(c.last_seen_at AS timestamptz), CAST(c.last_ip AS inet), c.note, 0,
                    now()
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                    CAST(? AS text[]), CAST(? AS boolean[]), CAST(? AS text[]),
                    CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                    WITH ORDINALITY AS c(token_hash, hint, rules, status, rules_set_by_admin,
                    bound_at, last_seen_at, last_ip, note, position)
            ORDER BY c.position
            ON CONFLICT (token_hash) DO NOTHING
            RETURNING\s""" + BindingRowMapper.COLUMNS;

    private static final String DELETE_UNCHANGED =
            "DELETE FROM binding WHERE id = ? AND revision = 0";

    /** A row can vanish between our insert and re-read (undone); a few tries always do. */
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource pool;
    private final StoreCircuit circuit;
    private final BindingBatches<Binding> firstUses =
            new BindingBatches<>("first-uses", Binding::tokenHash, this::insertAll);

    PostgresBindingStore(DataSource pool, StoreCircuit circuit) {
        this.pool = pool;
        this.circuit = circuit;
    }

    @Override
    public Optional<Binding> find(TokenHash tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return circuit.call("find a binding", () -> withConnection(connection ->
                find(connection, tokenHash)));
    }

    /**
     * The first-use race, settled by the unique key on {@code token_hash}:
     * <ol>
     *   <li>Insert the candidate unless a row for the key exists, in one statement with the
     *       candidates of other first uses waiting at that moment. A concurrent insert of
     *       the same key makes this statement wait for that transaction, then skip it.</li>
     *   <li>A returned row means this call created it: it won.</li>
     *   <li>Otherwise re-read in a new statement, whose snapshot sees the winner's committed
     *       row; the caller is judged against it.</li>
     *   <li>If the winner's row is gone again (its first use was undone), insert alone and
     *       re-read, a few times.</li>
     * </ol>
     */
    @Override
    public FirstUse bindIfAbsent(Binding candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return circuit.call("bind a key", () -> {
            Optional<Binding> inserted = firstUses.submit(candidate);
            if (inserted.isPresent()) {
                return new FirstUse(inserted.get(), true);
            }
            return withConnection(connection -> lostRace(connection, candidate));
        });
    }

    private static FirstUse lostRace(Connection connection, Binding candidate)
            throws SQLException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Binding> winner = find(connection, candidate.tokenHash());
            if (winner.isPresent()) {
                return new FirstUse(winner.get(), false);
            }
            Optional<Binding> inserted = insertUnlessBound(connection, candidate);
            if (inserted.isPresent()) {
                return new FirstUse(inserted.get(), true);
            }
        }
        throw new SentinelException("binding key " + candidate.tokenHash().prefix(12)
                + "… neither inserted nor found after " + MAX_ATTEMPTS + " attempts");
    }

    @Override
    public boolean undoFirstUse(Binding created) {
        Objects.requireNonNull(created, "created");
        return circuit.call("undo a first use", () -> withConnection(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE_UNCHANGED)) {
                delete.setLong(1, created.id());
                return delete.executeUpdate() == 1;
            }
        }));
    }

    private <T> T withConnection(Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.on(connection);
        } catch (SQLException e) {
            throw new StatementFailed(e);
        }
    }

    private static Optional<Binding> find(Connection connection, TokenHash tokenHash)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, tokenHash.hex());
            return oneRow(select);
        }
    }

    private static Optional<Binding> insertUnlessBound(Connection connection,
            Binding candidate) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_UNLESS_BOUND)) {
            insert.setString(1, candidate.tokenHash().hex());
            insert.setString(2, SqlText.storable(candidate.hint(), MAX_HINT_LENGTH));
            insert.setArray(3, connection.createArrayOf("text",
                    SqlText.cidrs(candidate.rules())));
            insert.setString(4, BindingRowMapper.status(candidate.status()));
            insert.setBoolean(5, candidate.rulesSetByAdmin());
            insert.setObject(6, SqlText.timestamp(candidate.boundAt()));
            insert.setObject(7, SqlText.timestamp(candidate.lastSeenAt()));
            insert.setString(8, candidate.lastIp().map(IpAddress::toString).orElse(null));
            insert.setString(9, SqlText.storable(candidate.note(), MAX_NOTE_LENGTH));
            return oneRow(insert);
        }
    }

    /** Inserts candidates of distinct keys, in the order given; returns the rows created. */
    private Map<TokenHash, Binding> insertAll(List<Binding> candidates) {
        int count = candidates.size();
        String[] tokenHashes = new String[count];
        String[] hints = new String[count];
        String[] rules = new String[count];
        String[] statuses = new String[count];
        Boolean[] rulesSetByAdmin = new Boolean[count];
        String[] boundAt = new String[count];
        String[] lastSeenAt = new String[count];
        String[] lastIps = new String[count];
        String[] notes = new String[count];
        for (int i = 0; i < count; i++) {
            Binding candidate = candidates.get(i);
            tokenHashes[i] = candidate.tokenHash().hex();
            hints[i] = SqlText.storable(candidate.hint(), MAX_HINT_LENGTH);
            rules[i] = "{" + String.join(",", SqlText.cidrs(candidate.rules())) + "}";
            statuses[i] = BindingRowMapper.status(candidate.status());
            rulesSetByAdmin[i] = candidate.rulesSetByAdmin();
            boundAt[i] = candidate.boundAt().toString();
            lastSeenAt[i] = candidate.lastSeenAt().toString();
            lastIps[i] = candidate.lastIp().map(IpAddress::toString).orElse(null);
            notes[i] = SqlText.storable(candidate.note(), MAX_NOTE_LENGTH);
        }

        return withConnection(connection -> {
            try (PreparedStatement insert =
                    connection.prepareStatement(INSERT_ALL_UNLESS_BOUND)) {
                insert.setArray(1, connection.createArrayOf("text", tokenHashes));
                insert.setArray(2, connection.createArrayOf("text", hints));
                insert.setArray(3, connection.createArrayOf("text", rules));
                insert.setArray(4, connection.createArrayOf("text", statuses));
                insert.setArray(5, connection.createArrayOf("bool", rulesSetByAdmin));
                insert.setArray(6, connection.createArrayOf("text", boundAt));
                insert.setArray(7, connection.createArrayOf("text", lastSeenAt));
                insert.setArray(8, connection.createArrayOf("text", lastIps));
                insert.setArray(9, connection.createArrayOf("text", notes));
                return rowsByKey(insert);
            }
        });
    }

    private static Map<TokenHash, Binding> rowsByKey(PreparedStatement statement)
            throws SQLException {
        Map<TokenHash, Binding> rows = new HashMap<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                Binding binding = BindingRowMapper.INSTANCE.map(row, null);
                rows.put(binding.tokenHash(), binding);
            }
        }
        return rows;
    }

    private static Optional<Binding> oneRow(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            return row.next()
                    ? Optional.of(BindingRowMapper.INSTANCE.map(row, null))
                    : Optional.empty();
        }
    }

    /** Statements on one borrowed connection. */
    @FunctionalInterface
    private interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /** A statement failed; the cause tells the circuit whether the database is down. */
    private static final class StatementFailed extends RuntimeException {
        StatementFailed(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
