package dev.sentinel.app.admin;

import dev.sentinel.adapters.admin.AdminAudit;
import java.util.Set;

/**
 * {@code GET /audit}: every admin action, newest first, optionally of one kind.
 *
 * <p>Thread-safe.
 */
final class AuditEndpoints {

    private final AdminAudit audit;

    AuditEndpoints(AdminAudit audit) {
        this.audit = audit;
    }

    void list(AdminExchange exchange) {
        QueryParams query = exchange.query(Set.of("page", "size", "action"));
        exchange.json(200, Views.PageView.of(audit.list(query.text("action"), query.page()),
                Views.AuditView::of));
    }
}
