package dev.sentinel.app.admin;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Admin session tokens: HS256 JWTs signed with {@code ADMIN_JWT_SECRET}. Verification
 * accepts HS256 with that secret only: {@code alg: none}, other algorithms, other keys,
 * altered and expired tokens are all refused.
 *
 * <p>Thread-safe: java-jwt's algorithm and verifier are immutable.
 */
final class AdminTokens {

    static final String ISSUER = "sentinel";
    static final String SUBJECT = "admin";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration ttl;
    private final InstantSource clock;

    AdminTokens(String secret, Duration ttl, InstantSource clock) {
        Objects.requireNonNull(secret, "secret");
        this.algorithm = Algorithm.HMAC256(secret);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(ISSUER)
                .withSubject(SUBJECT)
                .withClaimPresence("exp"))
                .build(new ClockOf(clock));
    }

    /**
     * A token issued to an admin.
     *
     * @param token the compact JWT
     * @param expiresAt when it stops being accepted
     */
    record Issued(String token, Instant expiresAt) {
    }

    /** Issues a token valid from now for the configured lifetime. */
    Issued issue() {
        // JWT times are whole seconds; report the same instant the token carries.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl);
        String token = JWT.create()
                .withIssuer(ISSUER)
                .withSubject(SUBJECT)
                .withIssuedAt(now)
                .withExpiresAt(expiresAt)
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
        return new Issued(token, expiresAt);
    }

    /**
     * Verifies a token.
     *
     * @param token the compact JWT from the {@code Authorization} header
     * @return when it expires, or why it is refused
     */
    Verdict verify(String token) {
        try {
            Instant expiresAt = verifier.verify(token).getExpiresAtAsInstant();
            return new Verdict(Optional.of(expiresAt), "");
        } catch (TokenExpiredException e) {
            return new Verdict(Optional.empty(), "the token has expired: log in again");
        } catch (AlgorithmMismatchException e) {
            return new Verdict(Optional.empty(), "the token is not signed with HS256: "
                    + "expected a token from POST /admin/api/login");
        } catch (SignatureVerificationException e) {
            return new Verdict(Optional.empty(), "the token's signature does not match: "
                    + "expected a token from POST /admin/api/login");
        } catch (JWTVerificationException e) {
            return new Verdict(Optional.empty(), "the token is not valid: expected a token "
                    + "from POST /admin/api/login");
        }
    }

    /**
     * The outcome of a verification.
     *
     * @param expiresAt when the valid token expires; empty when refused
     * @param refusal why it was refused; empty when valid
     */
    record Verdict(Optional<Instant> expiresAt, String refusal) {
        boolean valid() {
            return expiresAt.isPresent();
        }
    }

    /** java-jwt reads time from a {@link Clock}; Sentinel's policies read an InstantSource. */
    private static final class ClockOf extends Clock {
        private final InstantSource source;

        ClockOf(InstantSource source) {
            this.source = source;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return source.instant();
        }
    }
}
