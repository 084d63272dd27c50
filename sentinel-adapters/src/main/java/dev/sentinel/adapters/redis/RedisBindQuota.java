package dev.sentinel.adapters.redis;

import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.port.BindQuota;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import redis.clients.jedis.RedisClient;

/**
 * New bindings per network in a sliding minute, counted in a Redis sorted set shared by
 * every replica: one member per grant, scored by its time in milliseconds.
 *
 * <p>One Lua script trims, counts and adds atomically, so two replicas can never both take
 * the last grant. Time comes from the caller's clock, not Redis's, so that windows follow
 * the same clock as everything else; replicas' clocks are assumed to agree within a small
 * fraction of the minute.
 *
 * <p>While Redis is unreachable each call counts in-process instead: a network may then
 * bind up to the limit once per replica, which is better than refusing every new key.
 *
 * <p>Thread-safe.
 */
final class RedisBindQuota implements BindQuota {

    static final long WINDOW_MILLIS = Duration.ofMinutes(1).toMillis();

    /** Tickets of this counter start with it; others belong to the in-process fallback. */
    static final String TICKET_PREFIX = "redis:";

    /**
     * KEYS[1] the network's set; ARGV now (ms), window (ms), limit, member. Returns
     * {1, 0} when granted, or {0, ms until the oldest member leaves the window}.
     */
    private static final String ACQUIRE = """
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            local limit = tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
            if redis.call('ZCARD', KEYS[1]) < limit then
                redis.call('ZADD', KEYS[1], now, ARGV[4])
                redis.call('PEXPIRE', KEYS[1], window)
                return {1, 0}
            end
            local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            return {0, tonumber(oldest[2]) + window - now}
            """;

    private final RedisClient client;
    private final StoreCircuit circuit;
    private final RedisKeys keys;
    private final InstantSource clock;
    private final BindQuota fallback;

    RedisBindQuota(RedisClient client, StoreCircuit circuit, RedisKeys keys,
            InstantSource clock, BindQuota fallback) {
        this.client = client;
        this.circuit = circuit;
        this.keys = keys;
        this.clock = clock;
        this.fallback = fallback;
    }

    @Override
    public Grant acquire(Cidr network, int perMinute) {
        Objects.requireNonNull(network, "network");
        if (perMinute < 1) {
            throw new IllegalArgumentException("new bindings per minute " + perMinute
                    + " is not positive: an unlimited allowance takes no grant");
        }
        if (!circuit.isUp()) {
            return fallback.acquire(network, perMinute);
        }
        String member = UUID.randomUUID().toString();
        long now = clock.millis();
        Object reply;
        try {
            reply = circuit.call("count new bindings", () -> client.eval(ACQUIRE,
                    List.of(keys.bindQuota(network)),
                    List.of(Long.toString(now), Long.toString(WINDOW_MILLIS),
                            Integer.toString(perMinute), member)));
        } catch (StoreUnavailableException e) {
            return fallback.acquire(network, perMinute);
        }
        List<?> values = (List<?>) reply;
        if (((Number) values.get(0)).longValue() == 1) {
            return new Granted(network, TICKET_PREFIX + member);
        }
        long wait = ((Number) values.get(1)).longValue();
        return new Exhausted(Duration.ofMillis(Math.max(1, wait)));
    }

    @Override
    public void refund(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        if (!(grant instanceof Granted granted)) {
            return;
        }
        if (!granted.ticket().startsWith(TICKET_PREFIX)) {
            fallback.refund(grant);
            return;
        }
        if (!circuit.isUp()) {
            return;
        }
        String member = granted.ticket().substring(TICKET_PREFIX.length());
        try {
            circuit.run("refund a new binding", () ->
                    client.zrem(keys.bindQuota(granted.network()), member));
        } catch (StoreUnavailableException e) {
            // The grant then counts until it leaves the window: stricter, never looser.
        }
    }
}
