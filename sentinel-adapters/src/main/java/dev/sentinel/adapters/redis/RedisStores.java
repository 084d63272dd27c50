package dev.sentinel.adapters.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.StoreStateListener;
import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginPolicy;
import dev.sentinel.adapters.admin.SettingsNotices;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.adapters.local.LocalStores;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindQuota;
import dev.sentinel.domain.port.BindingCache;
import dev.sentinel.domain.port.InterceptCounter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Sentinel's Redis stores: one connection pool, a subscription to the eviction channel, and
 * the ports built on them. Several instances with the same key prefix (replicas, or tests)
 * share entries and counts.
 *
 * <p>Every call goes through one circuit: after a connection-level failure (refused, reset,
 * closed, connect timeout) Redis is marked down, calls turn into misses or in-process counts
 * at once, and a background probe ({@code PING} every 500 ms) brings it back. A reply later
 * than the socket timeout fails only its own call: a saturated process misses a timeout now
 * and then. Redis is marked down for late replies only once no call has been answered for
 * {@link #SLOW_REPLY_GRACE}, which still finds a Redis that accepts and never answers.
 *
 * <p>An eviction this process could not write leaves its entry behind in Redis, where every
 * replica sharing the prefix would go on trusting it. Such a failed eviction marks Redis down
 * (if the failure did not already), and before Redis is marked up again every cached binding
 * under the prefix is deleted. An outage in which no eviction was lost keeps the entries:
 * they are exactly as correct as before, and while PostgreSQL is down they are what decides.
 * Evictions other replicas announced while this process's subscription was away only
 * concern per-process copies, which are dropped on every new subscription and on recovery.
 * A Redis that was restarted or replaced meanwhile (another {@code run_id}) may have loaded
 * an older snapshot, with entries evicted since: its cached bindings are deleted too, as
 * they are when the {@code run_id} cannot be read or this process started with Redis down.
 *
 * <p>Connecting never fails on an unreachable Redis: it starts down and is probed.
 *
 * <p>Thread-safe.
 */
public final class RedisStores implements AutoCloseable {

    /** The store's name in state reports. */
    public static final String STORE_NAME = "redis";

    /** The longest a per-process copy may live: evictions can be missed. */
    public static final Duration MAX_LOCAL_TTL = Duration.ofSeconds(1);

    /** The most bindings a per-process tier holds. */
    static final long MAX_LOCAL_BINDINGS = 100_000;

    /**
     * How long calls may time out with no call answered before Redis counts as down: longer
     * than a scheduling stall of a saturated process, short enough that a hung Redis costs
     * requests only about a second.
     */
    static final Duration SLOW_REPLY_GRACE = Duration.ofSeconds(1);

    private static final int SCAN_COUNT = 1000;
    private static final System.Logger LOG = System.getLogger(RedisStores.class.getName());

    private final RedisConfig config;
    private final RedisClient client;
    private final RedisKeys keys;
    private final StoreCircuit circuit;
    private final List<RedisBindingCache> caches = new CopyOnWriteArrayList<>();
    /** Set (under the circuit's lock) when an eviction could not be written to Redis. */
    private final AtomicBoolean evictionsLost = new AtomicBoolean();
    private final ChannelSubscriber subscriber;
    private final HostAndPort address;
    private final JedisClientConfig subscriberConfig;
    private final List<ChannelSubscriber> channelSubscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** The {@code run_id} of the Redis server last seen answering; null when unknown. */
    private volatile String serverRunId;

    private RedisStores(RedisConfig config, StoreStateListener listener) {
        this.config = config;
        this.keys = new RedisKeys(config.keyPrefix());
        JedisClientConfig clientConfig = clientConfig(config);
        HostAndPort address = new HostAndPort(config.host(), config.port());
        this.client = RedisClient.builder()
                .hostAndPort(address)
                .clientConfig(clientConfig)
                .poolConfig(poolConfig(config))
                .build();
        // A lost eviction noted after the probe's flush keeps Redis down for one more probe.
        this.circuit = StoreCircuit.create(STORE_NAME, this::probe, RedisFailures::isOutage,
                new StoreCircuit.SlowReplies(RedisFailures::isSlowReply, SLOW_REPLY_GRACE),
                () -> !evictionsLost.get(), listener, StoreCircuit.DEFAULT_PROBE_INTERVAL);
        // A plain connection negotiates no protocol; pub/sub needs nothing past RESP2.
        this.address = address;
        this.subscriberConfig = DefaultJedisClientConfig.builder()
                .from(clientConfig).resp2().build();
        // Evictions published while the subscription was away are lost: drop every copy.
        this.subscriber = new ChannelSubscriber(address, subscriberConfig,
                keys.evictionChannel(), this::dropLocal,
                () -> caches.forEach(RedisBindingCache::dropAllLocal));
    }

    /**
     * Connects without a state listener; see {@link #connect(RedisConfig,
     * StoreStateListener)}.
     *
     * @param config where and how to connect
     * @return the stores
     */
    public static RedisStores connect(RedisConfig config) {
        return connect(config, StoreStateListener.NONE);
    }

    /**
     * Opens the pool, pings Redis and subscribes to evictions. An unreachable Redis is
     * reported to the listener as down and probed in the background; it is no error.
     *
     * @param config where and how to connect
     * @param listener hears when Redis goes down and comes back
     * @return the stores
     */
    public static RedisStores connect(RedisConfig config, StoreStateListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        RedisStores stores = new RedisStores(config, listener);
        if (!stores.ping()) {
            // Nothing is known of a Redis that does not answer its first ping: start down.
            stores.circuit.markDown(new StoreUnavailableException("redis did not answer the "
                    + "first ping at " + config.host() + ":" + config.port(), null));
        } else {
            try {
                stores.serverRunId = stores.readRunId();
            } catch (RuntimeException e) {
                // Unknown: the first recovery then deletes the cached bindings.
            }
            // Evictions sent before the subscription is active would be missed.
            stores.subscriber.awaitSubscribed(config.connectTimeout().multipliedBy(3));
        }
        return stores;
    }

    /** Returns the configuration it connected with. */
    public RedisConfig config() {
        return config;
    }

    /**
     * Creates a two-tier binding cache.
     *
     * @param localTtl how long a per-process copy lives, at most {@link #MAX_LOCAL_TTL}; 0
     *         for no per-process tier
     * @param freshness how long an entry decides without asking the store
     * @param staleGrace how much longer a Redis entry is kept, for PostgreSQL outages
     * @param clock the source of {@code cachedAt}
     * @return the cache
     */
    public BindingCache bindingCache(Duration localTtl, Duration freshness, Duration staleGrace,
            InstantSource clock) {
        return bindingCache(localTtl, freshness, staleGrace, clock, Ticker.systemTicker());
    }

    /** As {@link #bindingCache(Duration, Duration, Duration, InstantSource)}, with a ticker. */
    RedisBindingCache bindingCache(Duration localTtl, Duration freshness, Duration staleGrace,
            InstantSource clock, Ticker ticker) {
        Objects.requireNonNull(localTtl, "localTtl");
        Objects.requireNonNull(freshness, "freshness");
        Objects.requireNonNull(staleGrace, "staleGrace");
        Objects.requireNonNull(clock, "clock");
        if (localTtl.isNegative() || localTtl.compareTo(MAX_LOCAL_TTL) > 0) {
            throw new IllegalArgumentException("per-process cache lifetime " + localTtl
                    + " is out of range: expected 0 to 1 s, because an eviction message can "
                    + "be missed and a copy lives that long");
        }
        if (freshness.isNegative() || staleGrace.isNegative()) {
            throw new IllegalArgumentException("cache freshness " + freshness
                    + " and stale grace " + staleGrace + " must not be negative");
        }
        Duration redisTtl = freshness.plus(staleGrace);
        if (redisTtl.toMillis() < 1) {
            throw new IllegalArgumentException("a Redis entry lifetime of " + redisTtl
                    + " caches nothing: expected a positive freshness or stale grace");
        }
        RedisBindingCache cache = new RedisBindingCache(client, circuit, keys, localTtl,
                redisTtl, clock, ticker, evictionsLost);
        caches.add(cache);
        return cache;
    }

    /**
     * Creates a sliding-minute new-binding counter shared by every instance with the same
     * prefix; it counts in-process while Redis is unreachable.
     *
     * @param clock the time the window slides by
     * @return the counter
     */
    public BindQuota bindQuota(InstantSource clock) {
        Objects.requireNonNull(clock, "clock");
        return new RedisBindQuota(client, circuit, keys, clock, LocalStores.bindQuota(clock));
    }

    /**
     * Creates a counter of admin login attempts shared by every instance with the same
     * prefix; it counts in-process while Redis is unreachable.
     *
     * @param policy attempts, window and lockout
     * @param clock the time windows and lockouts follow
     * @return the counter
     */
    public LoginAttempts loginAttempts(LoginPolicy policy, InstantSource clock) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        return new RedisLoginAttempts(client, circuit, keys.prefix(), policy, clock,
                LocalStores.loginAttempts(policy, clock));
    }

    /**
     * Subscribes to settings announcements and returns the way to make them. The listener
     * runs on the subscription's thread for every announcement (this instance's own
     * included), and also after a lost subscription is made again, because announcements
     * made meanwhile are lost. The subscription ends with these stores.
     *
     * @param onChange what to do when the stored settings changed
     * @return the announcer
     */
    public SettingsNotices settingsNotices(Runnable onChange) {
        Objects.requireNonNull(onChange, "onChange");
        if (closed) {
            throw new IllegalStateException("the Redis stores are closed");
        }
        String channel = keys.prefix() + "settings-changes";
        ChannelSubscriber listener = new ChannelSubscriber(address, subscriberConfig, channel,
                message -> onChange.run(), onChange);
        channelSubscribers.add(listener);
        if (circuit.isUp()) {
            // An announcement made before the subscription is active would be missed.
            listener.awaitSubscribed(config.connectTimeout().multipliedBy(3));
        }
        return new RedisSettingsNotices(client, circuit, channel);
    }

    /**
     * Creates a counter of intercepts per key and alert window shared by every instance with
     * the same prefix; it counts in-process while Redis is unreachable.
     *
     * @return the counter
     */
    public InterceptCounter interceptCounter() {
        return new RedisInterceptCounter(client, circuit, keys, LocalStores.interceptCounter());
    }

    /**
     * Sends {@code PING}; answers {@code false} at once while Redis is down.
     *
     * @return whether Redis answered
     */
    public boolean ping() {
        try {
            circuit.run("answer a ping", client::ping);
            return true;
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    /** Returns whether Redis is up or down, as the circuit last saw it. */
    public StoreState state() {
        return circuit.state();
    }

    /** Stops the subscription and the probe, and closes the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channelSubscribers.forEach(ChannelSubscriber::close);
        subscriber.close();
        circuit.close();
        client.close();
    }

    /** Returns the pooled client, for adapters of this module that add their own commands. */
    RedisClient client() {
        return client;
    }

    /** Returns the circuit, for adapters of this module that add their own commands. */
    StoreCircuit circuit() {
        return circuit;
    }

    /** Returns how many times the eviction subscription was made, the first included. */
    int subscriptions() {
        return subscriber.subscriptions();
    }

    /** Returns the key names. */
    RedisKeys keys() {
        return keys;
    }

    /** Returns whether an eviction was lost and the next recovery deletes every entry. */
    boolean evictionsLost() {
        return evictionsLost.get();
    }

    /**
     * Decides whether Redis may be used again: it must answer, and if an eviction was lost
     * the cached bindings must be gone (see the class comment) before calls resume. Idle
     * pooled connections are dropped first: after a Redis restart each of them is broken,
     * and would otherwise take the circuit down again, once per connection.
     */
    private void probe() {
        client.getPool().clear();
        client.ping();
        String runId = readRunId();
        boolean replaced = runId == null || !runId.equals(serverRunId);
        boolean lost = evictionsLost.getAndSet(false);
        if (lost || replaced) {
            try {
                deleteCachedBindings();
            } catch (RuntimeException e) {
                if (lost) {
                    evictionsLost.set(true);
                }
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "cached bindings deleted store=" + STORE_NAME
                    + " reason=" + (lost ? "eviction_lost_while_down" : "redis_replaced"));
        }
        serverRunId = runId;
        caches.forEach(RedisBindingCache::dropAllLocal);
    }

    /**
     * Returns the answering server's {@code run_id}, which changes with every restart and
     * failover, or null where {@code INFO} is not allowed.
     */
    private String readRunId() {
        String info;
        try {
            info = client.info("server");
        } catch (JedisDataException e) {
            return null;
        }
        return info.lines()
                .filter(line -> line.startsWith("run_id:"))
                .map(line -> line.substring("run_id:".length()).strip())
                .findFirst()
                .orElse(null);
    }

    /** SCAN and UNLINK every cached binding under the prefix; other keys stay. */
    void deleteCachedBindings() {
        ScanParams params = new ScanParams().match(keys.bindingPattern()).count(SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            List<String> found = page.getResult();
            if (!found.isEmpty()) {
                client.unlink(found.toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    private static JedisClientConfig clientConfig(RedisConfig config) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(config.connectTimeout().toMillis()))
                .socketTimeoutMillis(Math.toIntExact(config.socketTimeout().toMillis()))
                .database(config.database())
                .clientName("sentinel");
        if (!config.user().isEmpty()) {
            builder.user(config.user());
        }
        if (!config.password().isEmpty()) {
            builder.password(config.password());
        }
        if (config.ssl()) {
            // Verify that the certificate names the host, not only that someone signed it.
            builder.sslOptions(SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
        }
        return builder.build();
    }

    private static ConnectionPoolConfig poolConfig(RedisConfig config) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(config.poolMaxWait());
        pool.setJmxEnabled(false);
        return pool;
    }

    private void dropLocal(String message) {
        TokenHash tokenHash;
        try {
            tokenHash = new TokenHash(message);
        } catch (IllegalArgumentException e) {
            // Anyone who can publish to Redis can send junk; a junk message evicts nothing.
            return;
        }
        caches.forEach(cache -> cache.dropLocal(tokenHash));
    }
}
