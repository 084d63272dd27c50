package dev.sentinel.adapters.redis;

import dev.sentinel.domain.credential.TokenHash;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Listens on the eviction channel on a connection of its own, and subscribes again after
 * every disconnect. Messages published while it was away are lost, so each subscription
 * after the first drops every per-process copy first.
 *
 * <p>Thread-safe. One platform daemon thread, since a subscription blocks for its whole
 * life.
 */
final class EvictionSubscriber implements AutoCloseable {

    private static final System.Logger LOG =
            System.getLogger(EvictionSubscriber.class.getName());
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final String channel;
    private final Consumer<TokenHash> evicted;
    private final Runnable missedMessages;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final Thread thread;
    private volatile Jedis connection;
    private volatile JedisPubSub subscription;

    EvictionSubscriber(HostAndPort address, JedisClientConfig clientConfig, String channel,
            Consumer<TokenHash> evicted, Runnable missedMessages) {
        this.address = address;
        this.clientConfig = clientConfig;
        this.channel = channel;
        this.evicted = evicted;
        this.missedMessages = missedMessages;
        this.thread = Thread.ofPlatform().daemon().name("sentinel-redis-evictions")
                .start(this::listen);
    }

    /**
     * Waits until the first subscription is confirmed.
     *
     * @param timeout how long to wait at most
     * @return whether it is subscribed
     */
    boolean awaitSubscribed(Duration timeout) {
        try {
            return firstSubscription.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns how many times it subscribed, the first time included. */
    int subscriptions() {
        return subscriptions.get();
    }

    @Override
    public void close() {
        closing.countDown();
        JedisPubSub current = subscription;
        if (current != null && current.isSubscribed()) {
            try {
                current.unsubscribe();
            } catch (RuntimeException e) {
                // The connection is already broken; closing it below ends the thread.
            }
        }
        Jedis open = connection;
        if (open != null) {
            open.close();
        }
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen() {
        boolean firstAttempt = true;
        while (closing.getCount() > 0) {
            try (Jedis jedis = new Jedis(address, clientConfig)) {
                connection = jedis;
                if (closing.getCount() == 0) {
                    return;
                }
                boolean resubscribing = !firstAttempt;
                JedisPubSub listener = new JedisPubSub() {
                    @Override
                    public void onSubscribe(String name, int count) {
                        if (resubscribing) {
                            missedMessages.run();
                        }
                        subscriptions.incrementAndGet();
                        firstSubscription.countDown();
                    }

                    @Override
                    public void onMessage(String name, String message) {
                        drop(message);
                    }
                };
                subscription = listener;
                jedis.subscribe(listener, channel);
            } catch (JedisException e) {
                if (closing.getCount() > 0) {
                    LOG.log(System.Logger.Level.DEBUG, "eviction subscription lost", e);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "eviction subscription failed", e);
            } finally {
                connection = null;
                subscription = null;
            }
            firstAttempt = false;
            try {
                if (closing.await(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void drop(String message) {
        TokenHash tokenHash;
        try {
            tokenHash = new TokenHash(message);
        } catch (IllegalArgumentException e) {
            // Anyone who can publish to Redis can send junk; a junk message evicts nothing.
            return;
        }
        evicted.accept(tokenHash);
    }
}
