/**
 * Redis as Sentinel's shared cache and counters (Jedis), reached through
 * {@link dev.sentinel.adapters.redis.RedisStores}: a two-tier binding cache whose evictions
 * reach every replica over a channel, and a sliding-minute new-binding counter.
 *
 * <p>Redis is never authoritative: an unreachable Redis is a cache miss or an in-process
 * count, never an error.
 */
package dev.sentinel.adapters.redis;
