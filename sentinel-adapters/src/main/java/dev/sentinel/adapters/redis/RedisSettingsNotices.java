package dev.sentinel.adapters.redis;

import dev.sentinel.adapters.admin.SettingsNotices;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.domain.StoreUnavailableException;
import redis.clients.jedis.RedisClient;

/**
 * Settings changes announced on a Redis channel; every replica with the same key prefix
 * hears them (the announcing one too, which reloads harmlessly).
 *
 * <p>Thread-safe.
 */
final class RedisSettingsNotices implements SettingsNotices {

    private final RedisClient client;
    private final StoreCircuit circuit;
    private final String channel;

    RedisSettingsNotices(RedisClient client, StoreCircuit circuit, String channel) {
        this.client = client;
        this.circuit = circuit;
        this.channel = channel;
    }

    @Override
    public void announce() {
        if (!circuit.isUp()) {
            return;
        }
        try {
            circuit.run("announce a settings change", () -> client.publish(channel, "changed"));
        } catch (StoreUnavailableException e) {
            // The other replicas' timers pick the change up.
        }
    }
}
