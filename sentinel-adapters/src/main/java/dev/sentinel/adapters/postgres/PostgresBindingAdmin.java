package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.admin.Actor;
import dev.sentinel.adapters.admin.BindingAdmin;
import dev.sentinel.adapters.admin.BindingCounts;
import dev.sentinel.adapters.admin.BindingFilter;
import dev.sentinel.adapters.admin.Page;
import dev.sentinel.adapters.admin.PageRequest;
import dev.sentinel.adapters.admin.PreBind;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Admin operations on PostgreSQL's {@code binding} table. Each change is one transaction
 * that updates the row (revision + 1) and writes its audit row.
 *
 * <p>Thread-safe: every call borrows its own pooled connection.
 */
final class PostgresBindingAdmin implements BindingAdmin {

    private static final String BY_KEY = " WHERE token_hash = CAST(:tokenHash AS char(64))";
    private static final String CHANGED = ", revision = revision + 1, updated_at = :now"
            + BY_KEY + " RETURNING " + BindingRowMapper.COLUMNS;

    private static final String INSERT_UNLESS_BOUND = """
            INSERT INTO binding (token_hash, hint, rules, status, rules_set_by_admin,
                    bound_at, last_seen_at, last_ip, note, revision, updated_at)
            VALUES (CAST(:tokenHash AS char(64)), :hint, CAST(:rules AS cidr[]), :status,
                    true, :now, :now, CAST(:lastIp AS inet), :note, 1, :now)
            ON CONFLICT (token_hash) DO NOTHING
            RETURNING\s""" + BindingRowMapper.COLUMNS;

    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final InstantSource clock;

    PostgresBindingAdmin(Jdbi jdbi, StoreCircuit circuit, InstantSource clock) {
        this.jdbi = jdbi;
        this.circuit = circuit;
        this.clock = clock;
    }

    @Override
    public Page<Binding> list(BindingFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Conditions where = conditions(filter);
        return circuit.call("list bindings", () -> jdbi.inTransaction(handle -> {
            long total = where.bind(handle.createQuery("SELECT count(*) FROM binding"
                    + where.where())).mapTo(Long.class).one();
            List<Binding> items = where.bind(handle.createQuery("SELECT "
                    + BindingRowMapper.COLUMNS + " FROM binding" + where.where()
                    + " ORDER BY bound_at DESC, id DESC LIMIT :limit OFFSET :offset"))
                    .bind("limit", page.size())
                    .bind("offset", page.offset())
                    .map(BindingRowMapper.INSTANCE)
                    .list();
            return new Page<>(items, page.page(), page.size(), total);
        }));
    }

    @Override
    public Optional<Binding> find(TokenHash tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return circuit.call("find a binding", () -> jdbi.withHandle(handle ->
                find(handle, tokenHash)));
    }

    @Override
    public BindingCounts counts() {
        return circuit.call("count bindings", () -> jdbi.withHandle(handle ->
                handle.createQuery("""
                        SELECT count(*) AS total,
                               count(*) FILTER (WHERE status = 'active') AS active,
                               count(*) FILTER (WHERE status = 'banned') AS banned,
                               count(*) FILTER (WHERE rules_set_by_admin) AS by_admin
                        FROM binding""")
                        .map((rs, ctx) -> new BindingCounts(rs.getLong("total"),
                                rs.getLong("active"), rs.getLong("banned"),
                                rs.getLong("by_admin")))
                        .one()));
    }

    @Override
    public Optional<Binding> replaceRules(TokenHash tokenHash, List<Cidr> rules, Actor actor) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(actor, "actor");
        List<Cidr> checked = checkRules(rules);
        return change("replace a binding's rules", tokenHash, handle -> {
            Optional<Binding> before = handle.createQuery("SELECT " + BindingRowMapper.COLUMNS
                            + " FROM binding" + BY_KEY + " FOR UPDATE")
                    .bind("tokenHash", tokenHash.hex())
                    .map(BindingRowMapper.INSTANCE)
                    .findOne();
            Optional<Binding> after = handle.createQuery("UPDATE binding SET rules = "
                    + "CAST(:rules AS cidr[]), rules_set_by_admin = true" + CHANGED)
                    .bindArray("rules", String.class, (Object[]) SqlText.cidrs(checked))
                    .bind("tokenHash", tokenHash.hex())
                    .bind("now", SqlText.timestamp(clock.instant()))
                    .map(BindingRowMapper.INSTANCE)
                    .findOne();
            after.ifPresent(binding -> audit(handle, "binding.rules_replaced", binding,
                    "rules=" + rulesText(binding.rules()) + " (was "
                            + before.map(old -> rulesText(old.rules())).orElse("?") + ")",
                    actor));
            return after;
        });
    }

    @Override
    public Optional<Binding> setStatus(TokenHash tokenHash, BindingStatus status, Actor actor) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(actor, "actor");
        String action = status == BindingStatus.BANNED ? "binding.banned" : "binding.unbanned";
        return change("change a binding's status", tokenHash, handle -> {
            Optional<Binding> after = handle.createQuery("UPDATE binding SET status = :status"
                    + CHANGED)
                    .bind("status", BindingRowMapper.status(status))
                    .bind("tokenHash", tokenHash.hex())
                    .bind("now", SqlText.timestamp(clock.instant()))
                    .map(BindingRowMapper.INSTANCE)
                    .findOne();
            after.ifPresent(binding -> audit(handle, action, binding, "", actor));
            return after;
        });
    }

    @Override
    public Optional<Binding> setNote(TokenHash tokenHash, String note, Actor actor) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(actor, "actor");
        checkNote(note);
        return change("change a binding's note", tokenHash, handle -> {
            Optional<Binding> after = handle.createQuery("UPDATE binding SET note = :note"
                    + CHANGED)
                    .bind("note", SqlText.storable(note, MAX_NOTE_LENGTH))
                    .bind("tokenHash", tokenHash.hex())
                    .bind("now", SqlText.timestamp(clock.instant()))
                    .map(BindingRowMapper.INSTANCE)
                    .findOne();
            after.ifPresent(binding -> audit(handle, "binding.note_set", binding,
                    "note=" + SqlText.storable(note, 200), actor));
            return after;
        });
    }

    @Override
    public Optional<Binding> unbind(TokenHash tokenHash, Actor actor) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(actor, "actor");
        return change("unbind a key", tokenHash, handle -> {
            Optional<Binding> gone = handle.createQuery("DELETE FROM binding" + BY_KEY
                    + " RETURNING " + BindingRowMapper.COLUMNS)
                    .bind("tokenHash", tokenHash.hex())
                    .map(BindingRowMapper.INSTANCE)
                    .findOne();
            gone.ifPresent(binding -> audit(handle, "binding.unbound", binding,
                    "rules were " + rulesText(binding.rules()) + ", status "
                            + BindingRowMapper.status(binding.status()), actor));
            return gone;
        });
    }

    @Override
    public PreBind preBind(Binding candidate, Actor actor) {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(actor, "actor");
        List<Cidr> rules = checkRules(candidate.rules());
        checkNote(candidate.note());
        return circuit.call("bind a key ahead of use", () -> jdbi.inTransaction(handle -> {
            Optional<Binding> created = handle.createQuery(INSERT_UNLESS_BOUND)
                    .bind("tokenHash", candidate.tokenHash().hex())
                    .bind("hint", SqlText.storable(candidate.hint(),
                            PostgresBindingStore.MAX_HINT_LENGTH))
                    .bindArray("rules", String.class, (Object[]) SqlText.cidrs(rules))
                    .bind("status", BindingRowMapper.status(candidate.status()))
                    .bind("now", SqlText.timestamp(clock.instant()))
                    .bind("lastIp", candidate.lastIp().map(IpAddress::toString).orElse(null))
                    .bind("note", SqlText.storable(candidate.note(), MAX_NOTE_LENGTH))
                    .map(BindingRowMapper.INSTANCE)
                    .findOne();
            if (created.isPresent()) {
                audit(handle, "binding.prebound", created.get(), "rules="
                        + rulesText(rules) + ", status "
                        + BindingRowMapper.status(candidate.status()), actor);
                return new PreBind.Created(created.get());
            }
            // The existing row is visible: the conflicting insert waited for its commit.
            return new PreBind.AlreadyBound(find(handle, candidate.tokenHash())
                    .orElseThrow(() -> new IllegalStateException("binding "
                            + candidate.tokenHash().prefix(12) + "… conflicted but is gone")));
        }));
    }

    private Optional<Binding> change(String operation, TokenHash tokenHash,
            HandleCallback<Optional<Binding>, RuntimeException> work) {
        return circuit.call(operation, () -> jdbi.inTransaction(work));
    }

    private void audit(Handle handle, String action, Binding binding, String detail,
            Actor actor) {
        AuditRows.insert(handle, clock.instant(), action, AuditRows.target(binding), detail,
                actor);
    }

    private static Optional<Binding> find(Handle handle, TokenHash tokenHash) {
        return handle.createQuery("SELECT " + BindingRowMapper.COLUMNS + " FROM binding"
                        + BY_KEY)
                .bind("tokenHash", tokenHash.hex())
                .map(BindingRowMapper.INSTANCE)
                .findOne();
    }

    private static Conditions conditions(BindingFilter filter) {
        Conditions where = new Conditions();
        filter.hint().ifPresent(hint -> where.add("hint ILIKE :hint",
                Map.of("hint", Conditions.contains(hint))));
        filter.hashPrefix().ifPresent(prefix -> where.add(
                "starts_with(token_hash::text, :hashPrefix)", Map.of("hashPrefix", prefix)));
        filter.status().ifPresent(status -> where.add("status = :status",
                Map.of("status", BindingRowMapper.status(status))));
        filter.address().ifPresent(address -> where.add(
                "EXISTS (SELECT 1 FROM unnest(rules) AS rule "
                        + "WHERE rule >>= CAST(:address AS inet))",
                Map.of("address", address.toString())));
        return where;
    }

    private static List<Cidr> checkRules(List<Cidr> rules) {
        Objects.requireNonNull(rules, "rules");
        List<Cidr> distinct = rules.stream().distinct().toList();
        if (distinct.isEmpty() || distinct.size() > MAX_RULES) {
            throw new IllegalArgumentException(distinct.size() + " rules: expected 1 to "
                    + MAX_RULES + " networks");
        }
        return distinct;
    }

    private static void checkNote(String note) {
        if (note.length() > MAX_NOTE_LENGTH) {
            throw new IllegalArgumentException("a note of " + note.length()
                    + " characters is too long: expected at most " + MAX_NOTE_LENGTH);
        }
    }

    private static String rulesText(List<Cidr> rules) {
        return rules.stream().map(Cidr::toString).collect(Collectors.joining(","));
    }
}
