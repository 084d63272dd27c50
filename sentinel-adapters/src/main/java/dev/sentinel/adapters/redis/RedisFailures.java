package dev.sentinel.adapters.redis;

import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Tells a Redis outage from a failed command. Only an outage opens the circuit.
 *
 * <p>Thread-safe: stateless.
 */
final class RedisFailures {

    private static final int MAX_CAUSES = 16;

    private RedisFailures() {
    }

    /**
     * Returns whether a failure means Redis cannot serve us: unreachable, timed out, refusing
     * our credentials, busy with a script, or still loading its data set.
     */
    static boolean isOutage(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (current instanceof JedisConnectionException
                    || current instanceof JedisAccessControlException
                    || current instanceof JedisBusyException) {
                return true;
            }
            if (current instanceof JedisDataException data && data.getMessage() != null
                    && (data.getMessage().startsWith("LOADING")
                            || data.getMessage().startsWith("MASTERDOWN"))) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }
}
