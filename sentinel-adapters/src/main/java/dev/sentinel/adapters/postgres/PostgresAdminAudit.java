package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.admin.Actor;
import dev.sentinel.adapters.admin.AdminAudit;
import dev.sentinel.adapters.admin.AuditEntry;
import dev.sentinel.adapters.admin.Page;
import dev.sentinel.adapters.admin.PageRequest;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.net.IpAddress;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Admin actions in PostgreSQL's {@code admin_audit} table.
 *
 * <p>Thread-safe: every call borrows its own pooled connection.
 */
final class PostgresAdminAudit implements AdminAudit {

    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final InstantSource clock;

    PostgresAdminAudit(Jdbi jdbi, StoreCircuit circuit, InstantSource clock) {
        this.jdbi = jdbi;
        this.circuit = circuit;
        this.clock = clock;
    }

    @Override
    public void record(String action, String target, String detail, Actor actor) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(actor, "actor");
        circuit.run("record an admin action", () -> jdbi.useHandle(handle ->
                AuditRows.insert(handle, clock.instant(), action, target, detail, actor)));
    }

    @Override
    public Page<AuditEntry> list(Optional<String> action, PageRequest page) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(page, "page");
        Conditions where = new Conditions();
        action.ifPresent(name -> where.add("action = :action", Map.of("action", name)));
        return circuit.call("list admin actions", () -> jdbi.inTransaction(handle -> {
            long total = where.bind(handle.createQuery("SELECT count(*) FROM admin_audit"
                    + where.where())).mapTo(Long.class).one();
            List<AuditEntry> items = where.bind(handle.createQuery("SELECT id, at, action, "
                    + "target, host(admin_ip) AS admin_ip, detail FROM admin_audit"
                    + where.where() + " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset"))
                    .bind("limit", page.size())
                    .bind("offset", page.offset())
                    .map((rs, ctx) -> new AuditEntry(rs.getLong("id"),
                            rs.getObject("at", OffsetDateTime.class).toInstant(),
                            rs.getString("action"), rs.getString("target"),
                            IpAddress.of(rs.getString("admin_ip")), rs.getString("detail")))
                    .list();
            return new Page<>(items, page.page(), page.size(), total);
        }));
    }
}
