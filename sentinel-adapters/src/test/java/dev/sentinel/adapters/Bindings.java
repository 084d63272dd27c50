package dev.sentinel.adapters;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Values for tests. */
public final class Bindings {

    /** A fixed time with whole microseconds, as PostgreSQL stores them. */
    public static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");

    private Bindings() {
    }

    /** Returns a random key identity. */
    public static TokenHash randomHash() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return new TokenHash(HexFormat.of().formatHex(bytes));
    }

    /** Returns the first-use binding of a key from a client, bound to its /32 or /64. */
    public static Binding firstUse(TokenHash tokenHash, String client, Instant at) {
        IpAddress address = IpAddress.of(client);
        Cidr network = Cidr.enclosing(address, address.isV4() ? 32 : 64);
        return Binding.firstUse(tokenHash, "sk-ab…wxyz", network, address,
                at.truncatedTo(ChronoUnit.MICROS));
    }

    /** Returns an intercept of a key used from a client outside 10.0.0.0/8. */
    public static Intercept intercept(TokenHash tokenHash, String client, Instant at) {
        return new Intercept(at, tokenHash, "sk-ab…wxyz", IpAddress.of(client),
                List.of(Cidr.parse("10.0.0.0/8")), "POST", "/v1/chat/completions",
                "curl/8.5.0", InterceptReason.OUTSIDE_BOUND_NETWORKS);
    }
}
