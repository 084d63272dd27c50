package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.admin.InterceptEntry;
import dev.sentinel.adapters.admin.InterceptFilter;
import dev.sentinel.adapters.admin.InterceptQueries;
import dev.sentinel.adapters.admin.InterceptStats.AddressCount;
import dev.sentinel.adapters.admin.InterceptStats.HourCount;
import dev.sentinel.adapters.admin.InterceptStats.KeyCount;
import dev.sentinel.adapters.admin.Page;
import dev.sentinel.adapters.admin.PageRequest;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.adapters.internal.StoreOutageException;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Admin reads of PostgreSQL's {@code intercept_log} table.
 *
 * <p>Thread-safe: every call borrows its own pooled connection.
 */
final class PostgresInterceptQueries implements InterceptQueries {

    /** Rows fetched per round trip of an export: memory stays flat whatever the total. */
    static final int EXPORT_FETCH_SIZE = 500;

    /** An export may run long before its first row when a filter matches few rows. */
    static final Duration EXPORT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);

    private static final String COLUMNS = "id, at, token_hash, hint, host(client_ip) AS "
            + "client_ip, bound_rules::text[] AS bound_rules, method, path, user_agent, reason";

    private static final RowMapper<InterceptEntry> ROW = PostgresInterceptQueries::entry;

    private final Jdbi jdbi;
    private final StoreCircuit circuit;

    PostgresInterceptQueries(Jdbi jdbi, StoreCircuit circuit) {
        this.jdbi = jdbi;
        this.circuit = circuit;
    }

    @Override
    public Page<InterceptEntry> list(InterceptFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Conditions where = conditions(filter);
        return circuit.call("list intercepts", () -> jdbi.inTransaction(handle -> {
            long total = where.bind(handle.createQuery("SELECT count(*) FROM intercept_log"
                    + where.where())).mapTo(Long.class).one();
            List<InterceptEntry> items = where.bind(handle.createQuery("SELECT " + COLUMNS
                    + " FROM intercept_log" + where.where()
                    + " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset"))
                    .bind("limit", page.size())
                    .bind("offset", page.offset())
                    .map(ROW)
                    .list();
            return new Page<>(items, page.page(), page.size(), total);
        }));
    }

    /**
     * Streams through a server-side cursor: PostgreSQL's driver fetches in batches only
     * inside a transaction and with a fetch size.
     *
     * <ol>
     *   <li>Fail at once while the database is known to be down.</li>
     *   <li>Open a transaction with a longer statement and socket limit than the request
     *       path's: an export may scan much of the table.</li>
     *   <li>Hand each row to the sink as it arrives. The sink writes to a client; its
     *       failures are the client's, so they go back unchanged and never mark the
     *       database down.</li>
     * </ol>
     */
    @Override
    public long export(InterceptFilter filter, Consumer<InterceptEntry> sink) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(sink, "sink");
        // Fails at once while the database is known to be down.
        circuit.run("export intercepts", () -> { });
        Conditions where = conditions(filter);
        SinkFailure[] sinkFailure = new SinkFailure[1];
        try {
            return jdbi.inTransaction(handle -> {
                allowLongStatements(handle);
                long[] count = new long[1];
                try (Stream<InterceptEntry> rows = where.bind(handle.createQuery("SELECT "
                                + COLUMNS + " FROM intercept_log" + where.where()
                                + " ORDER BY at DESC, id DESC"))
                        .setFetchSize(EXPORT_FETCH_SIZE)
                        .map(ROW)
                        .stream()) {
                    rows.forEach(row -> {
                        try {
                            sink.accept(row);
                        } catch (RuntimeException e) {
                            sinkFailure[0] = new SinkFailure(e);
                            throw sinkFailure[0];
                        }
                        count[0]++;
                    });
                }
                return count[0];
            });
        } catch (SinkFailure e) {
            throw e.original;
        } catch (RuntimeException e) {
            if (sinkFailure[0] != null) {
                throw sinkFailure[0].original;
            }
            if (PostgresFailures.isOutage(e)) {
                circuit.markDown(e);
                throw new StoreOutageException("postgresql is unreachable: could not export "
                        + "intercepts: " + StoreCircuit.describe(e), e);
            }
            throw new StoreUnavailableException("postgresql could not export intercepts: "
                    + StoreCircuit.describe(e), e);
        }
    }

    @Override
    public List<HourCount> perHour(Instant since, int hours) {
        Objects.requireNonNull(since, "since");
        if (hours < 1 || hours > 24 * 366) {
            throw new IllegalArgumentException(hours + " hours is out of range: expected 1 to "
                    + 24 * 366);
        }
        Instant start = since.truncatedTo(ChronoUnit.HOURS);
        Instant end = start.plus(Duration.ofHours(hours));
        return circuit.call("count intercepts per hour", () -> jdbi.withHandle(handle ->
                handle.createQuery("""
                        WITH counted AS (
                            SELECT date_bin('1 hour', at, CAST(:start AS timestamptz)) AS hour,
                                   count(*) AS n
                            FROM intercept_log
                            WHERE at >= :start AND at < :end
                            GROUP BY 1)
                        SELECT slot AS hour, coalesce(counted.n, 0) AS n
                        FROM generate_series(CAST(:start AS timestamptz),
                                CAST(:end AS timestamptz) - interval '1 hour',
                                interval '1 hour') AS slot
                        LEFT JOIN counted ON counted.hour = slot
                        ORDER BY slot""")
                        .bind("start", SqlText.timestamp(start))
                        .bind("end", SqlText.timestamp(end))
                        .map((rs, ctx) -> new HourCount(rs.getObject("hour",
                                OffsetDateTime.class).toInstant(), rs.getLong("n")))
                        .list()));
    }

    @Override
    public List<KeyCount> topKeys(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        return circuit.call("find the most intercepted keys", () -> jdbi.withHandle(handle ->
                handle.createQuery("""
                        SELECT token_hash, max(hint) AS hint, count(*) AS n
                        FROM intercept_log WHERE at >= :since
                        GROUP BY token_hash ORDER BY n DESC, token_hash LIMIT :limit""")
                        .bind("since", SqlText.timestamp(since))
                        .bind("limit", checkLimit(limit))
                        .map((rs, ctx) -> new KeyCount(new TokenHash(rs.getString("token_hash")),
                                rs.getString("hint"), rs.getLong("n")))
                        .list()));
    }

    @Override
    public List<AddressCount> topAddresses(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        return circuit.call("find the most intercepted addresses", () -> jdbi.withHandle(
                handle -> handle.createQuery("""
                        SELECT host(client_ip) AS address, count(*) AS n
                        FROM intercept_log WHERE at >= :since
                        GROUP BY client_ip ORDER BY n DESC, client_ip LIMIT :limit""")
                        .bind("since", SqlText.timestamp(since))
                        .bind("limit", checkLimit(limit))
                        .map((rs, ctx) -> new AddressCount(IpAddress.of(rs.getString("address")),
                                rs.getLong("n")))
                        .list()));
    }

    private static void allowLongStatements(Handle handle) {
        handle.execute("SET LOCAL statement_timeout = "
                + EXPORT_STATEMENT_TIMEOUT.toMillis());
        // The pool restores the connection's network timeout when it takes it back.
        Connection connection = handle.getConnection();
        Executor direct = Runnable::run;
        try {
            connection.setNetworkTimeout(direct,
                    Math.toIntExact(EXPORT_STATEMENT_TIMEOUT.plusSeconds(5).toMillis()));
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit " + limit + " is out of range: "
                    + "expected 1 to 1000");
        }
        return limit;
    }

    private static Conditions conditions(InterceptFilter filter) {
        Conditions where = new Conditions();
        filter.from().ifPresent(from -> where.add("at >= :from",
                Map.of("from", SqlText.timestamp(from))));
        filter.to().ifPresent(to -> where.add("at < :to", Map.of("to", SqlText.timestamp(to))));
        filter.hint().ifPresent(hint -> where.add("hint ILIKE :hint",
                Map.of("hint", Conditions.contains(hint))));
        filter.hashPrefix().ifPresent(prefix -> where.add(
                "starts_with(token_hash::text, :hashPrefix)", Map.of("hashPrefix", prefix)));
        filter.network().ifPresent(network -> where.add(
                "client_ip <<= CAST(:network AS cidr)", Map.of("network", network.toString())));
        filter.reason().ifPresent(reason -> where.add("reason = :reason",
                Map.of("reason", reason.code())));
        return where;
    }

    private static InterceptEntry entry(ResultSet rs, StatementContext ctx)
            throws SQLException {
        return new InterceptEntry(rs.getLong("id"), new Intercept(
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                new TokenHash(rs.getString("token_hash")),
                rs.getString("hint"),
                IpAddress.of(rs.getString("client_ip")),
                rules(rs.getArray("bound_rules")),
                rs.getString("method"),
                rs.getString("path"),
                rs.getString("user_agent"),
                InterceptReason.ofCode(rs.getString("reason"))));
    }

    private static List<Cidr> rules(Array array) throws SQLException {
        Object[] texts = (Object[]) array.getArray();
        List<Cidr> rules = new ArrayList<>(texts.length);
        for (Object text : texts) {
            rules.add(Cidr.parse((String) text));
        }
        return rules;
    }

    /** Carries a sink's failure through JDBI without being taken for the database's. */
    private static final class SinkFailure extends RuntimeException {
        private final RuntimeException original;

        SinkFailure(RuntimeException original) {
            super(null, null, false, false);
            this.original = original;
        }
    }
}
