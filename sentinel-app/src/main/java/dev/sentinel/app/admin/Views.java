package dev.sentinel.app.admin;

import dev.sentinel.adapters.admin.AuditEntry;
import dev.sentinel.adapters.admin.InterceptEntry;
import dev.sentinel.adapters.admin.Page;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The JSON shapes of the admin API, as records: camelCase names, times as ISO-8601 UTC
 * text, lists as {@code {"items","page","size","total"}}. The OpenAPI document describes
 * the same shapes.
 *
 * <p>Immutable and thread-safe.
 */
final class Views {

    private Views() {
    }

    /** A page of items. */
    record PageView<T>(List<T> items, int page, int size, long total) {
        static <S, T> PageView<T> of(Page<S> page, Function<S, T> view) {
            return new PageView<>(page.items().stream().map(view).toList(), page.page(),
                    page.size(), page.total());
        }
    }

    /** A binding. */
    record BindingView(long id, String tokenHash, String hint, List<String> rules,
            String status, boolean rulesSetByAdmin, String boundAt, String lastSeenAt,
            String lastIp, String note, long revision) {
        static BindingView of(Binding binding) {
            return new BindingView(binding.id(), binding.tokenHash().hex(), binding.hint(),
                    texts(binding.rules()), binding.status().name().toLowerCase(Locale.ROOT),
                    binding.rulesSetByAdmin(), binding.boundAt().toString(),
                    binding.lastSeenAt().toString(),
                    binding.lastIp().map(IpAddress::toString).orElse(null),
                    binding.note(), binding.revision());
        }
    }

    /** What a pasted key is, and its binding if any. */
    record KeyView(String tokenHash, String hint, boolean bound, BindingView binding) {
    }

    /** An intercept-log row. */
    record InterceptView(long id, String at, String tokenHash, String hint, String clientIp,
            List<String> boundRules, String method, String path, String userAgent,
            String reason) {
        static InterceptView of(InterceptEntry entry) {
            Intercept row = entry.intercept();
            return new InterceptView(entry.id(), row.at().toString(), row.tokenHash().hex(),
                    row.hint(), row.clientIp().toString(), texts(row.boundRules()),
                    row.method(), row.path(), row.userAgent(), row.reason().code());
        }
    }

    /** An audit row. */
    record AuditView(long id, String at, String action, String target, String adminIp,
            String detail) {
        static AuditView of(AuditEntry entry) {
            return new AuditView(entry.id(), entry.at().toString(), entry.action(),
                    entry.target(), entry.adminIp().toString(), entry.detail());
        }
    }

    /** A login's answer. */
    record TokenView(String token, String expiresAt) {
    }

    /** A valid session's answer. */
    record SessionView(String subject, String expiresAt) {
    }

    private static List<String> texts(List<Cidr> rules) {
        return rules.stream().map(Cidr::toString).toList();
    }
}
