package dev.sentinel.adapters.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.InterceptCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Intercepts per key and alert window, counted in Redis and shared by every replica with the
 * same prefix. A window is claimed with {@code SET NX}, so exactly one replica alerts for it.
 *
 * <p>Keys name the window by its length and start, so a window length changed at run time
 * starts new counts rather than mixing old ones in. Keys expire two window lengths after
 * their last write; the expiry is relative, so replicas' clocks need not match Redis's.
 *
 * <p>Once this process has seen a window claimed (by itself or another replica), it asks
 * Redis no more about that window. While Redis is unreachable it counts and claims
 * in-process: each replica may then alert once for the same window.
 *
 * <p>Thread-safe.
 */
final class RedisInterceptCounter implements InterceptCounter {

    /** Addresses kept per key and window, for the alert. */
    static final int MAX_ADDRESSES = 20;

    /** The shortest a counter key lives, whatever the window. */
    private static final long MIN_TTL_MILLIS = Duration.ofMinutes(1).toMillis();

    /**
     * KEYS[1] the count, KEYS[2] the addresses; ARGV address, ttl (ms), most addresses.
     * Returns the count after this intercept.
     */
    private static final String ADD = """
            local count = redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            if redis.call('SCARD', KEYS[2]) < tonumber(ARGV[3]) then
                redis.call('SADD', KEYS[2], ARGV[1])
            end
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            return count
            """;

    private final RedisClient client;
    private final StoreCircuit circuit;
    private final RedisKeys keys;
    private final InterceptCounter fallback;
    private final Cache<String, Boolean> claimedWindows = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofHours(25))
            .maximumSize(100_000)
            .build();

    RedisInterceptCounter(RedisClient client, StoreCircuit circuit, RedisKeys keys,
            InterceptCounter fallback) {
        this.client = client;
        this.circuit = circuit;
        this.keys = keys;
        this.fallback = fallback;
    }

    @Override
    public long add(TokenHash tokenHash, IpAddress clientIp, AlertWindow window) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(window, "window");
        if (!circuit.isUp()) {
            return fallback.add(tokenHash, clientIp, window);
        }
        try {
            Object count = circuit.call("count an intercept", () -> client.eval(ADD,
                    List.of(keys.alertCount(tokenHash, window),
                            keys.alertAddresses(tokenHash, window)),
                    List.of(clientIp.toString(), Long.toString(ttlMillis(window)),
                            Integer.toString(MAX_ADDRESSES))));
            return ((Number) count).longValue();
        } catch (StoreUnavailableException e) {
            return fallback.add(tokenHash, clientIp, window);
        }
    }

    @Override
    public boolean claim(TokenHash tokenHash, AlertWindow window) {
        String sent = keys.alertSent(Objects.requireNonNull(tokenHash, "tokenHash"),
                Objects.requireNonNull(window, "window"));
        if (claimedWindows.getIfPresent(sent) != null) {
            return false;
        }
        if (!circuit.isUp()) {
            return fallback.claim(tokenHash, window);
        }
        String reply;
        try {
            reply = circuit.call("claim an alert window", () -> client.set(sent, "1",
                    SetParams.setParams().nx().px(ttlMillis(window))));
        } catch (StoreUnavailableException e) {
            return fallback.claim(tokenHash, window);
        }
        claimedWindows.put(sent, Boolean.TRUE);
        return "OK".equals(reply);
    }

    @Override
    public List<IpAddress> addresses(TokenHash tokenHash, AlertWindow window) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(window, "window");
        if (!circuit.isUp()) {
            return fallback.addresses(tokenHash, window);
        }
        Set<String> members;
        try {
            members = circuit.call("read alert addresses", () ->
                    client.smembers(keys.alertAddresses(tokenHash, window)));
        } catch (StoreUnavailableException e) {
            return fallback.addresses(tokenHash, window);
        }
        List<IpAddress> addresses = new ArrayList<>(members.size());
        for (String member : members) {
            // Anyone who can write to Redis can plant junk; junk names no address.
            Optional<IpAddress> parsed = IpAddress.parse(member);
            parsed.ifPresent(addresses::add);
        }
        return addresses;
    }

    private static long ttlMillis(AlertWindow window) {
        return Math.max(MIN_TTL_MILLIS, window.length().toMillis() * 2);
    }
}
