package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads a {@code binding} row selected with {@link #COLUMNS}. Networks and addresses arrive
 * as text and are parsed by the domain's strict parsers, never by a resolver.
 *
 * <p>Thread-safe: stateless.
 */
final class BindingRowMapper implements RowMapper<Binding> {

    /** The select list this mapper reads. */
    static final String COLUMNS = "id, token_hash, hint, rules::text[] AS rules, status, "
            + "rules_set_by_admin, bound_at, last_seen_at, host(last_ip) AS last_ip, note, "
            + "revision";

    static final BindingRowMapper INSTANCE = new BindingRowMapper();

    private BindingRowMapper() {
    }

    @Override
    public Binding map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Binding(
                rs.getLong("id"),
                new TokenHash(rs.getString("token_hash")),
                rs.getString("hint"),
                rules(rs.getArray("rules")),
                BindingStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                rs.getBoolean("rules_set_by_admin"),
                rs.getObject("bound_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rs.getString("last_ip")).map(IpAddress::of),
                rs.getString("note"),
                rs.getLong("revision"));
    }

    private static List<Cidr> rules(Array array) throws SQLException {
        Object[] texts = (Object[]) array.getArray();
        List<Cidr> rules = new ArrayList<>(texts.length);
        for (Object text : texts) {
            rules.add(Cidr.parse((String) text));
        }
        return rules;
    }

    /** Returns the column value of a status. */
    static String status(BindingStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
