package dev.sentinel.app.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.adapters.admin.AdminAudit;
import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginAttempts.LockedOut;
import dev.sentinel.domain.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /login} and {@code GET /session}.
 *
 * <p>A login, in order:
 * <ol>
 *   <li>Read the body; malformed JSON is refused without counting an attempt.</li>
 *   <li>Count the attempt for the admin's address; a locked-out address gets 429 with
 *       {@code Retry-After}, whatever the password.</li>
 *   <li>Compare the password in constant time (both sides hashed first, so not even the
 *       length leaks).</li>
 *   <li>On success audit the login (no audit row, no token: 503), clear the count and
 *       issue a token.</li>
 * </ol>
 *
 * <p>Thread-safe.
 */
final class LoginEndpoints {

    private static final System.Logger LOG = System.getLogger(LoginEndpoints.class.getName());

    private final byte[] passwordDigest;
    private final AdminTokens tokens;
    private final LoginAttempts attempts;
    private final AdminAudit audit;

    LoginEndpoints(String password, AdminTokens tokens, LoginAttempts attempts,
            AdminAudit audit) {
        this.passwordDigest = sha256(password);
        this.tokens = tokens;
        this.attempts = attempts;
        this.audit = audit;
    }

    void login(AdminExchange exchange) {
        ObjectNode body = exchange.body();
        AdminJson.onlyFields(body, List.of("password"));
        String password = AdminJson.requiredText(body, "password");
        String address = exchange.actor().address().toString();

        if (attempts.admit(exchange.actor().address()) instanceof LockedOut locked) {
            if (locked.justLocked()) {
                LOG.log(Level.WARNING, "admin login locked out ip={0} seconds={1}", address,
                        String.valueOf(locked.retryAfter().toSeconds()));
                recordQuietly("admin.login_locked", address, exchange);
            }
            throw AdminProblem.retryLater(429, "login_locked", "too many login attempts from "
                    + "this address: try again in " + seconds(locked) + " s",
                    locked.retryAfter());
        }

        if (!MessageDigest.isEqual(passwordDigest, sha256(password))) {
            LOG.log(Level.WARNING, "admin login refused ip={0}", address);
            throw AdminProblem.of(401, "invalid_password", "the password is not the admin "
                    + "password: expected ADMIN_PASSWORD");
        }

        // Every admin action is audited: a login whose row cannot be written issues no
        // token (the caller answers 503). The attempt stays counted, so the lockout holds.
        audit.record("admin.login", "admin@" + address, "", exchange.actor());
        attempts.succeeded(exchange.actor().address());
        AdminTokens.Issued issued = tokens.issue();
        LOG.log(Level.INFO, "admin logged in ip={0}", address);
        exchange.json(200, new Views.TokenView(issued.token(), issued.expiresAt().toString()));
    }

    void session(AdminExchange exchange, Instant expiresAt) {
        exchange.json(200, new Views.SessionView(AdminTokens.SUBJECT, expiresAt.toString()));
    }

    /**
     * A lockout is audited when the database answers; without it the 429 must still be
     * sent, or an outage would lift the lockout.
     */
    private void recordQuietly(String action, String address, AdminExchange exchange) {
        try {
            audit.record(action, "admin@" + address, "", exchange.actor());
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, "admin action not audited action={0} ip={1}: {2}", action,
                    address, e.getMessage());
        }
    }

    private static long seconds(LockedOut locked) {
        return Math.max(1, (locked.retryAfter().toMillis() + 999) / 1000);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
