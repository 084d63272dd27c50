package dev.sentinel.app.admin;

/**
 * An admin endpoint. It answers through the exchange, or throws {@link AdminProblem} for a
 * 4xx answer; the route wrapper has already checked the token.
 *
 * <p>Implementations are thread-safe: one instance serves every request.
 */
@FunctionalInterface
interface AdminHandler {

    /** Answers one request. */
    void handle(AdminExchange exchange);
}
