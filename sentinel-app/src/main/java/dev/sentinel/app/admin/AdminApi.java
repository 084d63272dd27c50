package dev.sentinel.app.admin;

import dev.sentinel.adapters.admin.Actor;
import dev.sentinel.adapters.admin.AdminAudit;
import dev.sentinel.adapters.admin.BindingAdmin;
import dev.sentinel.adapters.admin.InterceptQueries;
import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.SettingsNotices;
import dev.sentinel.adapters.postgres.BufferedInterceptLog;
import dev.sentinel.app.http.ClientAddresses;
import dev.sentinel.app.http.RequestIds;
import dev.sentinel.app.settings.EffectiveSettings;
import dev.sentinel.app.settings.SettingsSync;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.net.ClientIpResolution;
import dev.sentinel.domain.port.BindingCache;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The admin JSON API under {@code /admin/api}, on the public listener.
 *
 * <p>Every route goes through one wrapper:
 * <ol>
 *   <li>Resolve the admin's address by the proxy's rule (behind nginx, the admin's, not
 *       nginx's); a trusted proxy without a usable {@code X-Real-IP} gets 400.</li>
 *   <li>Unless the route is public (login, the OpenAPI document), require
 *       {@code Authorization: Bearer <jwt>} with a valid HS256 token; otherwise 401.</li>
 *   <li>Run the endpoint. {@link AdminProblem} becomes its 4xx JSON error, an unreachable
 *       store 503 {@code store_unavailable}, anything else 500 with a logged stack trace;
 *       every error has the proxy's refusal shape.</li>
 * </ol>
 * Behind the routes, a catch-all under {@code /admin} answers 405 for a known path with
 * another method and 404 for everything else: nothing under {@code /admin} is ever
 * proxied.
 *
 * <p>Thread-safe. {@link #close()} stops the delayed cache evictions.
 */
public final class AdminApi implements AutoCloseable {

    /** The prefix of every admin API route. */
    public static final String PREFIX = "/admin/api";

    private static final System.Logger LOG = System.getLogger(AdminApi.class.getName());
    private static final String OPENAPI_RESOURCE = "admin/openapi.json";

    private final ClientAddresses clientAddresses;
    private final RequestIds requestIds;
    private final AdminTokens tokens;
    private final CacheEvictions evictions;
    private final List<Registered> routes;
    private final byte[] openApi;

    /**
     * What the admin API works with.
     *
     * @param password the admin password
     * @param jwtSecret the token signing secret
     * @param tokenTtl how long a token is valid
     * @param loginAttempts the lockout counter
     * @param hasher turns pasted keys into identities, as for requests
     * @param cache the binding cache every change evicts from
     * @param bindings binding operations
     * @param intercepts intercept-log queries
     * @param audit the admin audit
     * @param settings the live settings' synchroniser
     * @param notices announces settings changes to other replicas
     * @param environment the environment's settings, shown beside the ones in force
     * @param storeStates each store's state, {@code up}, {@code down} or {@code absent}
     * @param interceptLog the intercept buffer, for its counts
     * @param clientAddresses how to find the admin's address
     * @param requestIds where request ids come from
     * @param clock the time tokens and exports read
     */
    public record Parts(String password, String jwtSecret, Duration tokenTtl,
            LoginAttempts loginAttempts, TokenHasher hasher, BindingCache cache,
            BindingAdmin bindings, InterceptQueries intercepts, AdminAudit audit,
            SettingsSync settings, SettingsNotices notices, EffectiveSettings environment,
            Supplier<Map<String, String>> storeStates, BufferedInterceptLog interceptLog,
            ClientAddresses clientAddresses, RequestIds requestIds, InstantSource clock) {

        /** Checks that nothing is missing. */
        public Parts {
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(jwtSecret, "jwtSecret");
            Objects.requireNonNull(tokenTtl, "tokenTtl");
            Objects.requireNonNull(loginAttempts, "loginAttempts");
            Objects.requireNonNull(hasher, "hasher");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(bindings, "bindings");
            Objects.requireNonNull(intercepts, "intercepts");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(notices, "notices");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(storeStates, "storeStates");
            Objects.requireNonNull(interceptLog, "interceptLog");
            Objects.requireNonNull(clientAddresses, "clientAddresses");
            Objects.requireNonNull(requestIds, "requestIds");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /**
     * Builds the API.
     *
     * @param parts what it works with
     */
    public AdminApi(Parts parts) {
        Objects.requireNonNull(parts, "parts");
        this.clientAddresses = parts.clientAddresses();
        this.requestIds = parts.requestIds();
        this.tokens = new AdminTokens(parts.jwtSecret(), parts.tokenTtl(), parts.clock());
        this.evictions = new CacheEvictions(parts.cache());
        this.openApi = readOpenApi();

        LoginEndpoints login = new LoginEndpoints(parts.password(), tokens,
                parts.loginAttempts(), parts.audit());
        BindingEndpoints bindings = new BindingEndpoints(parts.bindings(), parts.hasher(),
                evictions, parts.audit(), parts.clock());
        InterceptEndpoints intercepts = new InterceptEndpoints(parts.intercepts(),
                parts.audit(), parts.clock());
        DashboardEndpoint dashboard = new DashboardEndpoint(parts.bindings(),
                parts.intercepts(), parts.storeStates(), parts.interceptLog(), parts.clock());
        SettingsEndpoints settings = new SettingsEndpoints(parts.settings(), parts.notices(),
                parts.environment());
        AuditEndpoints audit = new AuditEndpoints(parts.audit());

        List<Registered> table = new ArrayList<>();
        open(table, "POST", "/login", login::login);
        open(table, "GET", "/openapi.json", this::openApi);
        guardedWithExpiry(table, "GET", "/session", login::session);
        guarded(table, "GET", "/dashboard", dashboard::show);
        guarded(table, "GET", "/bindings", bindings::list);
        guarded(table, "GET", "/bindings/{tokenHash}", bindings::detail);
        guarded(table, "DELETE", "/bindings/{tokenHash}", bindings::unbind);
        guarded(table, "PUT", "/bindings/{tokenHash}/rules", bindings::replaceRules);
        guarded(table, "POST", "/bindings/{tokenHash}/ban", bindings::ban);
        guarded(table, "POST", "/bindings/{tokenHash}/unban", bindings::unban);
        guarded(table, "PUT", "/bindings/{tokenHash}/note", bindings::note);
        guarded(table, "POST", "/keys/lookup", bindings::lookUpKey);
        guarded(table, "POST", "/keys/bind", bindings::bindKey);
        guarded(table, "POST", "/keys/unbind", bindings::unbindKey);
        guarded(table, "GET", "/intercepts", intercepts::list);
        guarded(table, "GET", "/intercepts/export", intercepts::export);
        guarded(table, "GET", "/settings", settings::show);
        guarded(table, "PATCH", "/settings", settings::change);
        guarded(table, "DELETE", "/settings/{name}", settings::reset);
        guarded(table, "GET", "/audit", audit::list);
        this.routes = List.copyOf(table);
    }

    /** Returns every route as registered, in registration order. */
    public List<AdminRoute> routes() {
        return routes.stream().map(Registered::route).toList();
    }

    /**
     * Adds the routes, then the catch-all under {@code /admin}. Call it before the proxy's
     * catch-all; routes that must be served under {@code /admin} by others (the console)
     * go before this.
     *
     * @param routing the public listener's routing
     */
    public void register(HttpRouting.Builder routing) {
        for (Registered registered : routes) {
            routing.route(Method.create(registered.route().method()), registered.route().path(),
                    (request, response) -> serve(registered, request, response));
        }
        routing.any("/admin", this::unknown);
        routing.any("/admin/*", this::unknown);
    }

    @Override
    public void close() {
        evictions.close();
    }

    private void serve(Registered registered, ServerRequest request, ServerResponse response) {
        String requestId = requestIds.next();
        ClientIpResolution resolution = clientAddresses.resolve(request);
        if (resolution instanceof ClientIpResolution.Refused refused) {
            AdminResponses.error(response, 400, "invalid_client_ip", refused.detail(),
                    requestId, Optional.empty());
            return;
        }
        Actor actor = new Actor(((ClientIpResolution.Resolved) resolution).address());
        AdminExchange exchange = new AdminExchange(request, response, requestId, actor);
        try {
            Instant expiresAt = Instant.MAX;
            if (registered.route().requiresToken()) {
                expiresAt = authenticate(request);
            }
            registered.handler().accept(exchange, expiresAt);
        } catch (AdminProblem problem) {
            fail(response, problem.status(), problem.code(), problem.getMessage(), requestId,
                    problem.retryAfter());
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, "admin request failed requestId={0} route={1} {2}: {3}",
                    requestId, registered.route().method(), registered.route().path(),
                    e.getMessage());
            fail(response, 503, "store_unavailable", "the database is unavailable: try "
                    + "again shortly", requestId, Optional.of(Duration.ofSeconds(5)));
        } catch (UncheckedIOException e) {
            // The admin's connection broke (a download cancelled): nobody is left to answer.
            LOG.log(Level.WARNING, "admin response broke off requestId={0} route={1} {2}: {3}",
                    requestId, registered.route().method(), registered.route().path(),
                    e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "admin request failed requestId=" + requestId + " route="
                    + registered.route().method() + " " + registered.route().path(), e);
            fail(response, 500, "internal_error", "the admin API failed: see the log for "
                    + "this request id", requestId, Optional.empty());
        }
    }

    /** Checks the bearer token; returns when it expires. */
    private Instant authenticate(ServerRequest request) {
        List<String> values = request.headers().contains(HeaderNames.AUTHORIZATION)
                ? request.headers().get(HeaderNames.AUTHORIZATION).allValues()
                : List.of();
        if (values.isEmpty()) {
            throw unauthorized("no Authorization header: expected Authorization: Bearer "
                    + "<token> from POST " + PREFIX + "/login");
        }
        if (values.size() > 1) {
            throw unauthorized("several Authorization headers: expected one");
        }
        String value = values.get(0).strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw unauthorized("the Authorization header is not a bearer token: expected "
                    + "Authorization: Bearer <token>");
        }
        AdminTokens.Verdict verdict = tokens.verify(value.substring(space + 1).strip());
        return verdict.expiresAt().orElseThrow(() -> unauthorized(verdict.refusal()));
    }

    private void unknown(ServerRequest request, ServerResponse response) {
        String requestId = requestIds.next();
        String path = request.path().path();
        String method = request.prologue().method().text();
        List<String> allowed = routes.stream().map(Registered::route)
                .filter(route -> route.matches(path))
                .map(AdminRoute::method).toList();
        if (!allowed.isEmpty() && !allowed.contains(method)) {
            response.header(HeaderNames.ALLOW, String.join(", ", allowed));
            AdminResponses.error(response, 405, "method_not_allowed", method + " is not "
                    + "allowed here: expected " + String.join(" or ", allowed), requestId,
                    Optional.empty());
            return;
        }
        AdminResponses.error(response, 404, "not_found", "no admin route here: see GET "
                + PREFIX + "/openapi.json", requestId, Optional.empty());
    }

    private void openApi(AdminExchange exchange) {
        ServerResponse response = exchange.response();
        AdminResponses.commonHeaders(response, exchange.requestId());
        response.header(HeaderNames.CONTENT_TYPE, AdminResponses.JSON);
        response.send(openApi);
    }

    private static void fail(ServerResponse response, int status, String code, String message,
            String requestId, Optional<Duration> retryAfter) {
        if (response.isSent()) {
            // Bytes of a stream are out: closing the connection is the only signal left.
            throw new IllegalStateException("admin response failed after it was sent: "
                    + code);
        }
        AdminResponses.error(response, status, code, message, requestId, retryAfter);
    }

    private static AdminProblem unauthorized(String message) {
        return AdminProblem.of(401, "unauthorized", message);
    }

    private static void open(List<Registered> table, String method, String path,
            AdminHandler handler) {
        table.add(new Registered(new AdminRoute(method, PREFIX + path, false),
                (exchange, expiresAt) -> handler.handle(exchange)));
    }

    private static void guarded(List<Registered> table, String method, String path,
            AdminHandler handler) {
        guardedWithExpiry(table, method, path,
                (exchange, expiresAt) -> handler.handle(exchange));
    }

    private static void guardedWithExpiry(List<Registered> table, String method, String path,
            BiConsumer<AdminExchange, Instant> handler) {
        table.add(new Registered(new AdminRoute(method, PREFIX + path, true), handler));
    }

    private static byte[] readOpenApi() {
        try (InputStream in = AdminApi.class.getClassLoader()
                .getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the "
                        + "classpath: the build must package it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Registered(AdminRoute route, BiConsumer<AdminExchange, Instant> handler) {
    }
}
