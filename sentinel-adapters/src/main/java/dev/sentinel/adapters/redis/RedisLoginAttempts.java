package dev.sentinel.adapters.redis;

import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginPolicy;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.RedisClient;

/**
 * Login attempts counted in Redis, shared by every replica with the same key prefix, so an
 * address locked out on one replica is locked out on all.
 *
 * <p>One Lua script reads the lockout, counts the attempt and starts a lockout atomically.
 * Time comes from the caller's clock, as for the new-binding counter; the keys' TTLs only
 * collect garbage. While Redis is unreachable each call counts in-process instead.
 *
 * <p>Thread-safe.
 */
final class RedisLoginAttempts implements LoginAttempts {

    /**
     * KEYS[1] the attempts hash (start, count), KEYS[2] the lockout (its end in ms);
     * ARGV now, window, lockout (ms), max attempts. Returns {1, 0} when admitted,
     * {0, ms left} when locked out, {2, ms left} when this attempt started the lockout.
     */
    private static final String ADMIT = """
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            local lockout = tonumber(ARGV[3])
            local max = tonumber(ARGV[4])
            local lockedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
            if lockedUntil > now then
                return {0, lockedUntil - now}
            end
            local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '-1')
            if start < 0 or now - start >= window then
                start = now
                redis.call('HSET', KEYS[1], 'start', now, 'count', 0)
            end
            local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
            redis.call('PEXPIRE', KEYS[1], math.max(1, start + window - now))
            if count > max then
                redis.call('SET', KEYS[2], now + lockout, 'PX', lockout)
                redis.call('DEL', KEYS[1])
                return {2, lockout}
            end
            return {1, 0}
            """;

    private final RedisClient client;
    private final StoreCircuit circuit;
    private final String prefix;
    private final LoginPolicy policy;
    private final InstantSource clock;
    private final LoginAttempts fallback;

    RedisLoginAttempts(RedisClient client, StoreCircuit circuit, String prefix,
            LoginPolicy policy, InstantSource clock, LoginAttempts fallback) {
        this.client = client;
        this.circuit = circuit;
        this.prefix = prefix;
        this.policy = policy;
        this.clock = clock;
        this.fallback = fallback;
    }

    @Override
    public Admission admit(IpAddress client) {
        Objects.requireNonNull(client, "client");
        if (!circuit.isUp()) {
            return fallback.admit(client);
        }
        String subject = LoginAttempts.countedAs(client);
        Object reply;
        try {
            reply = circuit.call("count a login attempt", () -> this.client.eval(ADMIT,
                    List.of(attemptsKey(subject), lockoutKey(subject)),
                    List.of(Long.toString(clock.millis()),
                            Long.toString(policy.window().toMillis()),
                            Long.toString(policy.lockout().toMillis()),
                            Integer.toString(policy.maxAttempts()))));
        } catch (StoreUnavailableException e) {
            return fallback.admit(client);
        }
        List<?> values = (List<?>) reply;
        long outcome = ((Number) values.get(0)).longValue();
        if (outcome == 1) {
            return new Admitted();
        }
        long wait = Math.max(1, ((Number) values.get(1)).longValue());
        return new LockedOut(Duration.ofMillis(wait), outcome == 2);
    }

    @Override
    public void succeeded(IpAddress client) {
        Objects.requireNonNull(client, "client");
        fallback.succeeded(client);
        if (!circuit.isUp()) {
            return;
        }
        String subject = LoginAttempts.countedAs(client);
        try {
            circuit.run("clear login attempts", () -> this.client.del(attemptsKey(subject)));
        } catch (StoreUnavailableException e) {
            // The count then runs out with its window: stricter, never looser.
        }
    }

    private String attemptsKey(String subject) {
        return prefix + "login-attempts:" + subject;
    }

    private String lockoutKey(String subject) {
        return prefix + "login-lockout:" + subject;
    }
}
