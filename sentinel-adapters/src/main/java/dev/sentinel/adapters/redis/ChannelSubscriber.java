package dev.sentinel.adapters.redis;

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
 * Listens on one channel on a connection of its own and subscribes again after every
 * disconnect. Messages published while it was away are lost, so every subscription after
 * the first runs {@code missedMessages} first.
 *
 * <p>Thread-safe. One platform daemon thread, since a subscription blocks for its whole
 * life.
 */
final class ChannelSubscriber implements AutoCloseable {

    private static final System.Logger LOG =
            System.getLogger(ChannelSubscriber.class.getName());
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable missedMessages;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final Thread thread;
    private volatile Jedis connection;
    private volatile JedisPubSub subscription;

    ChannelSubscriber(HostAndPort address, JedisClientConfig clientConfig, String channel,
            Consumer<String> onMessage, Runnable missedMessages) {
        this.address = address;
        this.clientConfig = clientConfig;
        this.channel = channel;
        this.onMessage = onMessage;
        this.missedMessages = missedMessages;
        this.thread = Thread.ofPlatform().daemon().name("sentinel-redis-" + channel)
                .start(this::listen);
    }

    /** Waits at most {@code timeout} until the first subscription is confirmed. */
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
                            deliver(missedMessages);
                        }
                        subscriptions.incrementAndGet();
                        firstSubscription.countDown();
                    }

                    @Override
                    public void onMessage(String name, String message) {
                        deliver(() -> onMessage.accept(message));
                    }
                };
                subscription = listener;
                jedis.subscribe(listener, channel);
            } catch (JedisException e) {
                if (closing.getCount() > 0) {
                    LOG.log(System.Logger.Level.DEBUG, "subscription lost channel=" + channel,
                            e);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "subscription failed channel=" + channel,
                        e);
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

    /** A listener's failure must not end the subscription. */
    private static void deliver(Runnable delivery) {
        try {
            delivery.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "channel listener failed", e);
        }
    }
}
