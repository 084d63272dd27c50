package dev.sentinel.app.admin;

import java.time.Duration;
import java.util.Optional;

/**
 * A request the admin API answers with a 4xx JSON error: bad input, a missing binding, a
 * locked-out login. Handlers throw it from deep inside parsing; the route wrapper turns it
 * into the error body, so no handler can forget to answer. It carries no stack trace: it is
 * an answer, not a failure.
 *
 * <p>Immutable and thread-safe.
 */
final class AdminProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final transient Optional<Duration> retryAfter;

    private AdminProblem(int status, String code, String message, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    static AdminProblem of(int status, String code, String message) {
        return new AdminProblem(status, code, message, Optional.empty());
    }

    static AdminProblem badRequest(String code, String message) {
        return of(400, code, message);
    }

    static AdminProblem notFound(String message) {
        return of(404, "not_found", message);
    }

    static AdminProblem retryLater(int status, String code, String message, Duration wait) {
        return new AdminProblem(status, code, message, Optional.of(wait));
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
