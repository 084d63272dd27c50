package dev.sentinel.adapters.redis;

import java.net.SocketTimeoutException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Tells a Redis outage from a failed command, and a late reply from an unreachable Redis.
 * An outage opens the circuit; a late reply only after Redis has answered nothing for a
 * while (see {@link RedisStores}).
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

    /**
     * Returns whether a failure is only a reply that came later than the socket timeout: the
     * connection was open and nothing says it broke. A busy JVM or a busy Redis produces
     * these one at a time; a connect timeout, a refusal, a reset or an end of stream is no
     * late reply.
     */
    static boolean isSlowReply(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (current instanceof SocketTimeoutException timeout) {
                // The JDK says "Connect timed out" for a connection that never opened.
                return timeout.getMessage() != null
                        && timeout.getMessage().equalsIgnoreCase("Read timed out");
            }
            current = current.getCause();
        }
        return false;
    }
}
