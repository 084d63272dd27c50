package dev.sentinel.app;

import dev.sentinel.adapters.StoreStateListener;
import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginPolicy;
import dev.sentinel.adapters.admin.SettingsNotices;
import dev.sentinel.adapters.embedded.EmbeddedDatabase;
import dev.sentinel.adapters.local.LocalStores;
import dev.sentinel.adapters.postgres.AlertHistory;
import dev.sentinel.adapters.postgres.BatchedLastSeenRecorder;
import dev.sentinel.adapters.postgres.BindingArchive;
import dev.sentinel.adapters.postgres.BufferedInterceptLog;
import dev.sentinel.adapters.postgres.PostgresAdmin;
import dev.sentinel.adapters.postgres.PostgresConfig;
import dev.sentinel.adapters.postgres.PostgresStores;
import dev.sentinel.adapters.redis.RedisConfig;
import dev.sentinel.adapters.redis.RedisStores;
import dev.sentinel.adapters.webhook.DeliveryPolicy;
import dev.sentinel.adapters.webhook.WebhookAlertSink;
import dev.sentinel.app.admin.AdminApi;
import dev.sentinel.app.admin.AdminRoute;
import dev.sentinel.app.alert.AlertQueue;
import dev.sentinel.app.alert.AlertRecorder;
import dev.sentinel.app.alert.AlertingInterceptLog;
import dev.sentinel.app.alert.LiveAlertSettings;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.app.console.ConsoleRoutes;
import dev.sentinel.app.http.ClientAddresses;
import dev.sentinel.app.http.HeadDeadline;
import dev.sentinel.app.http.HealthRoutes;
import dev.sentinel.app.http.JsonDirectHandler;
import dev.sentinel.app.http.ListenPorts;
import dev.sentinel.app.http.ManagementRoutes;
import dev.sentinel.app.http.OriginFormFilter;
import dev.sentinel.app.http.Refusals;
import dev.sentinel.app.http.RequestIds;
import dev.sentinel.app.observe.CompositeBridgeListener;
import dev.sentinel.app.observe.CompositeGuardListener;
import dev.sentinel.app.observe.CompositeStoreStateListener;
import dev.sentinel.app.observe.LoggingBridgeListener;
import dev.sentinel.app.observe.LoggingGuardListener;
import dev.sentinel.app.observe.LoggingStoreStateListener;
import dev.sentinel.app.observe.MeteredBindingCache;
import dev.sentinel.app.observe.MetricsAlertListener;
import dev.sentinel.app.observe.MetricsBridgeListener;
import dev.sentinel.app.observe.MetricsGuardListener;
import dev.sentinel.app.observe.MetricsProxyListener;
import dev.sentinel.app.observe.MetricsStoreStateListener;
import dev.sentinel.app.observe.Readiness;
import dev.sentinel.app.observe.SentinelMetrics;
import dev.sentinel.app.proxy.DownstreamConnections;
import dev.sentinel.app.proxy.ProxyHandler;
import dev.sentinel.app.proxy.ProxyListener;
import dev.sentinel.app.proxy.ProxyTransport;
import dev.sentinel.app.proxy.RequestScreen;
import dev.sentinel.app.retention.ArchiveJob;
import dev.sentinel.app.secrets.GeneratedSecrets;
import dev.sentinel.app.settings.LiveSettings;
import dev.sentinel.app.settings.SettingsSync;
import dev.sentinel.app.websocket.WebSocketBridge;
import dev.sentinel.domain.SentinelException;
import dev.sentinel.domain.alert.AlertPolicy;
import dev.sentinel.domain.credential.CredentialExtractor;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.guard.BindingGuard;
import dev.sentinel.domain.net.ClientIpResolver;
import dev.sentinel.domain.port.BindQuota;
import dev.sentinel.domain.port.BindingCache;
import dev.sentinel.domain.port.InterceptCounter;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A running Sentinel: stores, the binding guard, the public listener (proxy, admin API,
 * console) and the management listener (health, metrics). Tests start it exactly as
 * {@link Main} does, so they exercise the production wiring.
 *
 * <p>Thread-safe; {@link #close()} stops everything it started, in reverse order.
 */
public final class Sentinel implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Sentinel.class.getName());
    private static final String MANAGEMENT = "management";
    /** How long a cached binding may still decide while PostgreSQL is down. */
    private static final Duration STALE_GRACE = Duration.ofHours(24);
    private static final Duration LAST_SEEN_FLUSH = Duration.ofSeconds(10);
    /** How often stored settings are reread, in case an announcement was lost. */
    private static final Duration SETTINGS_RELOAD = Duration.ofSeconds(5);

    private static final Duration ARCHIVE_INTERVAL = Duration.ofHours(1);
    private static final int ALERT_QUEUE_CAPACITY = 10_000;
    private static final int ALERT_HISTORY_BUFFER = 10_000;
    /** Idle keep-alive connections kept to New API; Helidon's client keeps as many. */
    private static final int DOWNSTREAM_IDLE_CONNECTIONS = 256;

    private final List<AutoCloseable> started;
    private final WebServer server;
    private final AdminApi adminApi;
    private final ArchiveJob archiveJob;

    private Sentinel(List<AutoCloseable> started, WebServer server, AdminApi adminApi,
            ArchiveJob archiveJob) {
        this.started = started;
        this.server = server;
        this.adminApi = adminApi;
        this.archiveJob = archiveJob;
    }

    /**
     * Starts Sentinel with the system clock.
     *
     * @param config the validated configuration
     * @return the running instance
     */
    public static Sentinel start(SentinelConfig config) {
        return start(config, InstantSource.system());
    }

    /**
     * Starts Sentinel.
     *
     * @param config the validated configuration
     * @param clock the clock every time-dependent policy reads
     * @return the running instance
     */
    public static Sentinel start(SentinelConfig config, InstantSource clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        List<AutoCloseable> started = new ArrayList<>();
        try {
            return startInto(config, clock, started);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    private static Sentinel startInto(SentinelConfig config, InstantSource clock,
            List<AutoCloseable> started) {
        LOG.log(Level.INFO, "starting configuration: {0}", config.describeMasked());

        // Before any store is opened, and before Helidon can hide which port was taken.
        ListenPorts.requireFree(config.host(), config.port(), "SENTINEL_PORT");
        ListenPorts.requireFree(config.host(), config.managementPort(),
                "SENTINEL_MANAGEMENT_PORT");

        // Only the embedded default may invent secrets; validation already required them
        // everywhere else.
        GeneratedSecrets secrets = new GeneratedSecrets(config.dataDir());
        String hmacSecret = secrets.resolve("SENTINEL_HMAC_SECRET", config.hmacSecret(), 48);
        String adminPassword = secrets.resolve("ADMIN_PASSWORD", config.adminPassword(), 24);
        String adminJwtSecret = secrets.resolve("ADMIN_JWT_SECRET", config.adminJwtSecret(), 48);

        PostgresConfig database;
        if (config.embeddedDefault()) {
            EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir());
            started.add(embedded);
            // Operators need the port to pg_dump the data when moving to external stores.
            LOG.log(Level.INFO, "embedded database started host=127.0.0.1 port={0} user=postgres "
                    + "database=postgres data={1}", String.valueOf(embedded.port()),
                    embedded.dataDirectory());
            database = embedded.config();
        } else {
            database = PostgresConfig.fromDatabaseUrl(config.databaseUrl().orElseThrow());
        }
        SentinelMetrics metrics = new SentinelMetrics();
        boolean withRedis = config.redisUrl().isPresent();
        StoreStateListener storeStates = CompositeStoreStateListener.of(
                new LoggingStoreStateListener(), withRedis
                        ? new MetricsStoreStateListener(metrics, PostgresStores.STORE_NAME,
                                RedisStores.STORE_NAME)
                        : new MetricsStoreStateListener(metrics, PostgresStores.STORE_NAME));
        PostgresStores postgres = PostgresStores.connect(database, storeStates);
        started.add(postgres);

        BindingCache cache;
        BindQuota quota;
        InterceptCounter interceptCounter;
        RedisStores redis = null;
        if (withRedis) {
            redis = RedisStores.connect(RedisConfig.fromRedisUrl(
                    config.redisUrl().get()).toBuilder()
                    .keyPrefix(config.redisKeyPrefix())
                    .build(), storeStates);
            started.add(redis);
            cache = redis.bindingCache(config.localCacheTtl(), config.cacheTtl(), STALE_GRACE,
                    clock);
            quota = redis.bindQuota(clock);
            interceptCounter = redis.interceptCounter();
        } else {
            cache = LocalStores.bindingCache(config.cacheTtl(), STALE_GRACE, clock);
            quota = LocalStores.bindQuota(clock);
            interceptCounter = LocalStores.interceptCounter();
        }
        LiveSettings settings = new LiveSettings(config);
        cache = new MeteredBindingCache(cache, metrics, clock,
                () -> settings.guardSettings().cacheFreshness());

        // Admins' stored changes are in force before the first request.
        PostgresAdmin admin = PostgresAdmin.on(postgres, clock);
        SettingsSync settingsSync = new SettingsSync(LiveSettings.fromEnvironment(config),
                admin.settingsStore(), settings, SETTINGS_RELOAD);
        settingsSync.start();
        started.add(settingsSync);
        SettingsNotices settingsNotices = redis != null
                ? redis.settingsNotices(settingsSync::reload)
                : SettingsNotices.NONE;
        LoginPolicy loginPolicy = new LoginPolicy(config.loginMaxAttempts(),
                config.loginWindow(), config.loginLockout());
        LoginAttempts loginAttempts = redis != null
                ? redis.loginAttempts(loginPolicy, clock)
                : LocalStores.loginAttempts(loginPolicy, clock);
        BufferedInterceptLog interceptLog = postgres.interceptLog(config.interceptBufferSize(),
                config.interceptLogPerKey());
        started.add(interceptLog);
        BatchedLastSeenRecorder lastSeen = postgres.lastSeenRecorder(LAST_SEEN_FLUSH);
        started.add(lastSeen);
        AlertQueue alerts = startAlerts(postgres, interceptCounter, settings, metrics, started);
        BindingGuard guard = BindingGuard.builder()
                .store(postgres.bindingStore())
                .cache(cache)
                .interceptLog(new AlertingInterceptLog(interceptLog, alerts))
                .lastSeen(lastSeen)
                .quota(quota)
                .clock(clock)
                .settings(settings::guardSettings)
                .listener(CompositeGuardListener.of(new LoggingGuardListener(),
                        new MetricsGuardListener(metrics)))
                .build();
        ArchiveJob archiveJob = new ArchiveJob(postgres.bindingArchive(), lastSeen, cache,
                settings, clock, ARCHIVE_INTERVAL);
        started.add(archiveJob);
        archiveJob.start();
        meterBackgroundWork(metrics, interceptLog, alerts, archiveJob);
        RedisStores redisForReadiness = redis;
        ManagementRoutes management = new ManagementRoutes(() -> new Readiness(postgres.state(),
                Optional.ofNullable(redisForReadiness).map(RedisStores::state),
                settings.current().failsafeMode()), metrics);

        WebClient downstreamClient = downstreamClient(config);
        Http1Client downstream = downstreamClient.client(Http1Client.PROTOCOL);
        DownstreamConnections connections = new DownstreamConnections(config.downstreamUrl(),
                downstreamClient, DOWNSTREAM_IDLE_CONNECTIONS, config.downstreamIdleTimeout());
        started.add(connections);
        RequestIds requestIds = new RequestIds();
        ClientAddresses clientAddresses = new ClientAddresses(
                new ClientIpResolver(config.trustedProxies()));
        TokenHasher hasher = new TokenHasher(hmacSecret);
        Refusals refusals = new Refusals();
        ProxyListener proxyMetrics = new MetricsProxyListener(metrics);
        RequestScreen screen = new RequestScreen(clientAddresses, new CredentialExtractor(),
                hasher, guard, refusals, proxyMetrics);
        ProxyHandler proxy = new ProxyHandler(screen, downstream, connections,
                config.downstreamUrl(), refusals, requestIds, proxyMetrics);
        WebSocketBridge webSockets = WebSocketBridge.builder()
                .screen(screen)
                .refusals(refusals)
                .requestIds(requestIds)
                .downstreamUrl(config.downstreamUrl())
                .connectTimeout(config.downstreamConnectTimeout())
                .handshakeTimeout(config.downstreamIdleTimeout())
                .listener(CompositeBridgeListener.of(new LoggingBridgeListener(),
                        new MetricsBridgeListener(metrics)))
                .servedBySentinel(HealthRoutes::isOwnPath)
                .build();
        started.add(webSockets);
        // Helidon's query check refuses [ ] { } | that browsers send unencoded (New API's own
        // console among them); RequestTarget checks every target before it is forwarded.
        HeadDeadline headDeadline = new HeadDeadline(config.clientHeaderTimeout());
        started.add(headDeadline);
        Http1Config http1 = Http1Config.builder()
                .maxPrologueLength(16 * 1024)
                .validatePrologue(false)
                .addReceiveListener(headDeadline)
                .build();

        AdminApi adminApi = new AdminApi(new AdminApi.Parts(adminPassword, adminJwtSecret,
                config.adminTokenTtl(), loginAttempts, hasher, cache,
                admin.bindingAdmin(), admin.interceptQueries(), admin.audit(), settingsSync,
                settingsNotices, LiveSettings.fromEnvironment(config),
                storeStates(postgres, redis), interceptLog, clientAddresses, requestIds, clock));
        started.add(adminApi);

        WebServer server = ProxyTransport.listener(WebServer.builder(),
                        config.maxRequestBodyBytes())
                .host(config.host())
                .port(config.port())
                .directHandlers(JsonDirectHandler.all(requestIds))
                .addProtocol(http1)
                .addProtocol(webSockets.protocolConfig())
                .addConnectionSelector(headDeadline.guard(webSockets.connectionSelector(http1)))
                .routing(routing -> publicRoutes(routing, adminApi, proxy, webSockets,
                        new OriginFormFilter(refusals, requestIds)))
                .putSocket(MANAGEMENT, socket -> socket
                        .host(config.host())
                        .port(config.managementPort())
                        .directHandlers(JsonDirectHandler.all(requestIds))
                        .routing(routing -> {
                            HealthRoutes.management(routing);
                            management.register(routing);
                        }))
                .shutdownHook(false)
                .build()
                .start();
        started.add(server::stop);
        // Helidon logs a listener that cannot bind and carries on without it.
        if (server.port() < 0 || server.port(MANAGEMENT) < 0) {
            throw new SentinelException("cannot listen on " + config.host() + " port "
                    + (server.port() < 0 ? config.port() : config.managementPort())
                    + " (" + (server.port() < 0 ? "SENTINEL_PORT" : "SENTINEL_MANAGEMENT_PORT")
                    + "): is another process using it?");
        }
        LOG.log(Level.INFO, "sentinel started port={0} managementPort={1} downstream={2} "
                        + "database={3} cache={4} console={5}", String.valueOf(server.port()),
                String.valueOf(server.port(MANAGEMENT)), config.downstreamUrl(),
                config.embeddedDefault() ? "embedded" : "external",
                config.redisUrl().isPresent() ? "redis" : "in-process",
                consoleUrl(config.host(), server.port()));
        return new Sentinel(started, server, adminApi, archiveJob);
    }

    /** The address an operator on this machine opens; a wildcard host is reached on loopback. */
    static String consoleUrl(String host, int port) {
        String reachable = switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "[::1]";
            default -> host.contains(":") ? "[" + host + "]" : host;
        };
        return "http://" + reachable + ":" + port + "/admin/ui/";
    }

    /**
     * Alerts: intercepts are counted off the request path, a crossed threshold goes to the
     * webhook, and every delivery is recorded in PostgreSQL, logged and counted.
     */
    private static AlertQueue startAlerts(PostgresStores postgres, InterceptCounter counter,
            LiveSettings settings, SentinelMetrics metrics, List<AutoCloseable> started) {
        LiveAlertSettings alertSettings = new LiveAlertSettings(settings);
        AlertHistory history = postgres.alertHistory(ALERT_HISTORY_BUFFER);
        started.add(history);
        AlertRecorder recorder = new AlertRecorder(history);
        MetricsAlertListener counted = new MetricsAlertListener(metrics);
        WebhookAlertSink webhooks = WebhookAlertSink.start(alertSettings::webhookTarget,
                DeliveryPolicy.DEFAULT, (alert, delivery) -> {
                    recorder.finished(alert, delivery);
                    counted.finished(alert, delivery);
                });
        started.add(webhooks);
        AlertQueue alerts = new AlertQueue(new AlertPolicy(counter, webhooks,
                alertSettings::alertSettings), ALERT_QUEUE_CAPACITY);
        started.add(alerts);
        return alerts;
    }

    private static void meterBackgroundWork(SentinelMetrics metrics,
            BufferedInterceptLog interceptLog, AlertQueue alerts, ArchiveJob archiveJob) {
        metrics.gauge("sentinel.intercept.rows.buffered", "Intercept rows and summaries "
                + "waiting for PostgreSQL", null, null, interceptLog::buffered);
        metrics.functionCounter("sentinel.intercept.rows.dropped", "Intercepts dropped past "
                + "the outage buffer", interceptLog, BufferedInterceptLog::dropped);
        metrics.functionCounter("sentinel.intercepts.summarized", "Intercepts counted into "
                + "per-key minute summaries instead of rows", interceptLog,
                BufferedInterceptLog::summarized);
        metrics.functionCounter("sentinel.alert.checks", "Intercepts counted toward alerts",
                alerts, AlertQueue::checked);
        metrics.functionCounter("sentinel.alert.checks.dropped", "Intercepts not counted "
                + "toward alerts because the queue was full", alerts, AlertQueue::dropped);
        metrics.functionCounter("sentinel.alerts.raised", "Alerts this instance raised",
                alerts, AlertQueue::raised);
        metrics.functionCounter("sentinel.bindings.archived", "Idle bindings this instance "
                + "archived", archiveJob, ArchiveJob::archived);
    }

    private static void publicRoutes(HttpRouting.Builder routing, AdminApi adminApi,
            ProxyHandler proxy, WebSocketBridge webSockets, OriginFormFilter originForm) {
        routing.addFilter(originForm);
        routing.addFilter(webSockets.handshakeFilter());
        HealthRoutes.publicRoutes(routing);
        // The console before the admin API, whose /admin/* answers 404 for everything else.
        ConsoleRoutes.fromClasspath().register(routing);
        // Before the catch-all: nothing under /admin is ever proxied.
        adminApi.register(routing);
        routing.any(proxy);
    }

    private static Supplier<Map<String, String>> storeStates(PostgresStores postgres,
            RedisStores redis) {
        return () -> {
            Map<String, String> states = new LinkedHashMap<>();
            states.put(PostgresStores.STORE_NAME, postgres.state().value());
            states.put(RedisStores.STORE_NAME, redis == null ? "absent" : redis.state().value());
            return states;
        };
    }

    private static WebClient downstreamClient(SentinelConfig config) {
        return ProxyTransport.downstreamWebClient(config.downstreamUrl(),
                config.downstreamConnectTimeout(), config.downstreamIdleTimeout());
    }

    /** Returns the public port (useful when configured as 0). */
    public int port() {
        return server.port();
    }

    /** Returns the admin API's routes as registered, for tests and documentation checks. */
    public List<AdminRoute> adminRoutes() {
        return adminApi.routes();
    }

    /** Returns the management port. */
    public int managementPort() {
        return server.port(MANAGEMENT);
    }

    /**
     * Archives idle bindings now, as the hourly job does.
     *
     * @return what was archived, or busy when another replica is archiving
     */
    public BindingArchive.ArchiveRun archiveIdleBindings() {
        return archiveJob.runNow();
    }

    /** Returns the public listener's address, for tests. */
    public InetSocketAddress publicAddress() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    /** Stops the listeners, then the stores. */
    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "stopping failed component={0} cause={1}",
                        started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
