package dev.sentinel.app.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.adapters.admin.AdminAudit;
import dev.sentinel.adapters.admin.BindingAdmin;
import dev.sentinel.adapters.admin.BindingFilter;
import dev.sentinel.adapters.admin.PreBind;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.credential.ApiKey;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.net.Cidr;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The binding endpoints: list and search, detail, rule edits, ban, unban, note, unbind, and
 * the operations on a pasted key (look up, bind ahead of use, unbind).
 *
 * <p>A pasted key is canonicalised and hashed here, exactly as a request's key is, and goes
 * no further: no answer, log line, audit row or error message contains it.
 *
 * <p>Every change evicts the key from every cache before answering, so the next request on
 * any replica reads the new binding.
 *
 * <p>Thread-safe.
 */
final class BindingEndpoints {

    private static final System.Logger LOG = System.getLogger(BindingEndpoints.class.getName());
    private static final Set<String> LIST_PARAMETERS = Set.of("page", "size", "hint",
            "hashPrefix", "status", "ip");

    private final BindingAdmin bindings;
    private final TokenHasher hasher;
    private final CacheEvictions evictions;
    private final AdminAudit audit;
    private final InstantSource clock;

    BindingEndpoints(BindingAdmin bindings, TokenHasher hasher, CacheEvictions evictions,
            AdminAudit audit, InstantSource clock) {
        this.bindings = bindings;
        this.hasher = hasher;
        this.evictions = evictions;
        this.audit = audit;
        this.clock = clock;
    }

    void list(AdminExchange exchange) {
        QueryParams query = exchange.query(LIST_PARAMETERS);
        BindingFilter filter = new BindingFilter(query.text("hint"), query.hashPrefix(),
                query.status(), query.address("ip"));
        exchange.json(200, Views.PageView.of(bindings.list(filter, query.page()),
                Views.BindingView::of));
    }

    void detail(AdminExchange exchange) {
        exchange.query(Set.of());
        exchange.json(200, Views.BindingView.of(existing(exchange)));
    }

    void replaceRules(AdminExchange exchange) {
        TokenHash tokenHash = tokenHash(exchange);
        ObjectNode body = exchange.body();
        AdminJson.onlyFields(body, List.of("rules"));
        List<Cidr> rules = rules(body);
        changed(exchange, "binding.rules_replaced",
                bindings.replaceRules(tokenHash, rules, exchange.actor()), tokenHash);
    }

    void ban(AdminExchange exchange) {
        TokenHash tokenHash = tokenHash(exchange);
        changed(exchange, "binding.banned",
                bindings.setStatus(tokenHash, BindingStatus.BANNED, exchange.actor()),
                tokenHash);
    }

    void unban(AdminExchange exchange) {
        TokenHash tokenHash = tokenHash(exchange);
        changed(exchange, "binding.unbanned",
                bindings.setStatus(tokenHash, BindingStatus.ACTIVE, exchange.actor()),
                tokenHash);
    }

    void note(AdminExchange exchange) {
        TokenHash tokenHash = tokenHash(exchange);
        ObjectNode body = exchange.body();
        AdminJson.onlyFields(body, List.of("note"));
        String note = note(body).orElseThrow(() -> AdminProblem.badRequest("invalid_request",
                "field 'note' is missing: expected a string, empty to clear the note"));
        changed(exchange, "binding.note_set", bindings.setNote(tokenHash, note,
                exchange.actor()), tokenHash);
    }

    void unbind(AdminExchange exchange) {
        TokenHash tokenHash = tokenHash(exchange);
        changed(exchange, "binding.unbound", bindings.unbind(tokenHash, exchange.actor()),
                tokenHash);
    }

    void lookUpKey(AdminExchange exchange) {
        ObjectNode body = exchange.body();
        AdminJson.onlyFields(body, List.of("key"));
        ApiKey key = pastedKey(body);
        TokenHash tokenHash = hasher.identify(key);
        Optional<Binding> binding = bindings.find(tokenHash);
        audit.record("key.looked_up", key.hint() + " " + tokenHash.prefix(12),
                binding.isPresent() ? "bound" : "not bound", exchange.actor());
        exchange.json(200, new Views.KeyView(tokenHash.hex(), key.hint(), binding.isPresent(),
                binding.map(Views.BindingView::of).orElse(null)));
    }

    void bindKey(AdminExchange exchange) {
        ObjectNode body = exchange.body();
        AdminJson.onlyFields(body, List.of("key", "rules", "note", "status"));
        ApiKey key = pastedKey(body);
        List<Cidr> rules = rules(body);
        String note = note(body).orElse("");
        BindingStatus status = AdminJson.optionalText(body, "status").map(text ->
                switch (text) {
                    case "active" -> BindingStatus.ACTIVE;
                    case "banned" -> BindingStatus.BANNED;
                    default -> throw AdminProblem.badRequest("invalid_request", "status='"
                            + AdminJson.shorten(text) + "' is not valid: expected active or "
                            + "banned");
                }).orElse(BindingStatus.ACTIVE);
        TokenHash tokenHash = hasher.identify(key);
        // Until its first use, a pre-bound key has been seen from nowhere.
        Binding candidate = new Binding(0, tokenHash, key.hint(), rules, status, true,
                clock.instant(), clock.instant(), Optional.empty(), note, 1);
        PreBind outcome = bindings.preBind(candidate, exchange.actor());
        if (outcome instanceof PreBind.AlreadyBound already) {
            throw AdminProblem.of(409, "already_bound", "key " + key.hint() + " ("
                    + tokenHash.prefix(12) + "…) is bound already, since "
                    + already.binding().boundAt() + ": edit its binding instead");
        }
        evictions.evict(tokenHash);
        log("binding.prebound", outcome.binding(), exchange);
        exchange.json(201, Views.BindingView.of(outcome.binding()));
    }

    void unbindKey(AdminExchange exchange) {
        ObjectNode body = exchange.body();
        AdminJson.onlyFields(body, List.of("key"));
        ApiKey key = pastedKey(body);
        TokenHash tokenHash = hasher.identify(key);
        changed(exchange, "binding.unbound", bindings.unbind(tokenHash, exchange.actor()),
                tokenHash);
    }

    private void changed(AdminExchange exchange, String action, Optional<Binding> result,
            TokenHash tokenHash) {
        Binding binding = result.orElseThrow(() -> notBound(tokenHash));
        evictions.evict(tokenHash);
        log(action, binding, exchange);
        exchange.json(200, Views.BindingView.of(binding));
    }

    private Binding existing(AdminExchange exchange) {
        TokenHash tokenHash = tokenHash(exchange);
        return bindings.find(tokenHash).orElseThrow(() -> notBound(tokenHash));
    }

    private static void log(String action, Binding binding, AdminExchange exchange) {
        LOG.log(Level.INFO, "admin action={0} key={1} hash={2} ip={3}", action, binding.hint(),
                binding.tokenHash().prefix(12), exchange.actor().address().toString());
    }

    private static AdminProblem notBound(TokenHash tokenHash) {
        return AdminProblem.notFound("no binding for token hash " + tokenHash.prefix(12)
                + "…: expected the hash of a bound key");
    }

    private static TokenHash tokenHash(AdminExchange exchange) {
        String text = exchange.pathParameter("tokenHash");
        try {
            return new TokenHash(text.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AdminProblem.badRequest("invalid_parameter", "tokenHash '"
                    + AdminJson.shorten(text) + "' is not valid: expected 64 hex digits");
        }
    }

    private static ApiKey pastedKey(ObjectNode body) {
        String pasted = AdminJson.requiredText(body, "key");
        try {
            return ApiKey.fromPasted(pasted);
        } catch (IllegalArgumentException e) {
            // The message of ApiKey does not repeat the value; neither may this one.
            throw AdminProblem.badRequest("invalid_api_key", "field 'key' is not a model API "
                    + "key: expected sk- followed by ASCII letters and digits");
        }
    }

    private static List<Cidr> rules(ObjectNode body) {
        List<String> texts = AdminJson.textArray(body, "rules");
        if (texts.isEmpty() || texts.size() > BindingAdmin.MAX_RULES) {
            throw AdminProblem.badRequest("invalid_request", "field 'rules' has "
                    + texts.size() + " entries: expected 1 to " + BindingAdmin.MAX_RULES
                    + " CIDRs, such as [\"192.0.2.0/24\"] or [\"0.0.0.0/0\", \"::/0\"]");
        }
        List<Cidr> rules = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).length() > 64) {
                throw AdminProblem.badRequest("invalid_cidr", "rules[" + i + "] has "
                        + texts.get(i).length() + " characters: expected a CIDR such as "
                        + "192.0.2.0/24");
            }
            try {
                Cidr rule = Cidr.parse(texts.get(i).strip());
                if (!rules.contains(rule)) {
                    rules.add(rule);
                }
            } catch (IllegalArgumentException e) {
                throw AdminProblem.badRequest("invalid_cidr", "rules[" + i + "]: "
                        + e.getMessage());
            }
        }
        return rules;
    }

    private static Optional<String> note(ObjectNode body) {
        Optional<String> note = AdminJson.optionalText(body, "note");
        note.ifPresent(text -> {
            if (text.length() > BindingAdmin.MAX_NOTE_LENGTH) {
                throw AdminProblem.badRequest("invalid_request", "field 'note' has "
                        + text.length() + " characters: expected at most "
                        + BindingAdmin.MAX_NOTE_LENGTH);
            }
            if (text.indexOf('\0') >= 0) {
                throw AdminProblem.badRequest("invalid_request", "field 'note' holds a NUL "
                        + "character: expected text");
            }
        });

        // A key pasted into a note would rest in the database: it is kept as its hint.
        return note.map(ApiKey::maskKeysIn);
    }
}
