package dev.sentinel.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.Sentinel;
import dev.sentinel.app.config.SentinelConfig;
import dev.sentinel.domain.credential.ApiKey;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.credential.TokenHasher;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sentinel started exactly as {@code Main} starts it, on free ports, in front of a
 * {@link NewApiStandIn}, with its tables in a schema of its own on the machine's PostgreSQL
 * and (optionally) its keys under a prefix of its own in the machine's Redis.
 *
 * <p>Closing it checks that no issued key or secret reached the database, Redis or the log,
 * then drops the schema and the Redis keys.
 */
public final class SentinelUnderTest implements AutoCloseable {

    private final String schema;
    private final String redisPrefix;
    private final NewApiStandIn downstream;
    private final Map<String, String> environment;
    private final List<String> secrets;
    private final List<Sentinel> instances = new ArrayList<>();
    private InstantSource clock = InstantSource.system();

    private SentinelUnderTest(String owner, boolean withRedis, Map<String, String> overrides,
            NewApiStandIn downstream) {
        LogCapture.install();
        this.schema = TestStores.newSchema(owner);
        this.redisPrefix = withRedis ? "sentinel-it:" + schema + ":" : null;
        this.downstream = downstream;
        this.secrets = List.of("hmac-" + UUID.randomUUID() + UUID.randomUUID(),
                "admin-" + UUID.randomUUID(), "jwt-" + UUID.randomUUID() + UUID.randomUUID());
        secrets.forEach(AtRest::secret);
        environment = new HashMap<>();
        environment.put("DOWNSTREAM_URL", downstream.url());
        environment.put("SENTINEL_HOST", "127.0.0.1");
        environment.put("SENTINEL_PORT", "0");
        environment.put("SENTINEL_MANAGEMENT_PORT", "0");
        environment.put("DATABASE_URL", TestStores.databaseUrl(schema));
        environment.put("SENTINEL_HMAC_SECRET", secrets.get(0));
        environment.put("ADMIN_PASSWORD", secrets.get(1));
        environment.put("ADMIN_JWT_SECRET", secrets.get(2));
        if (withRedis) {
            environment.put("REDIS_URL", TestStores.REDIS_URL);
            environment.put("REDIS_KEY_PREFIX", redisPrefix);
        }
        environment.putAll(overrides);
    }

    /** Starts one instance with Redis, in front of a new downstream. */
    public static SentinelUnderTest start(String owner, Map<String, String> overrides) {
        SentinelUnderTest test = new SentinelUnderTest(owner, true, overrides,
                NewApiStandIn.start());
        test.startInstance();
        return test;
    }

    /** Starts one instance without Redis (in-process caches and counters). */
    public static SentinelUnderTest startWithoutRedis(String owner,
            Map<String, String> overrides) {
        SentinelUnderTest test = new SentinelUnderTest(owner, false, overrides,
                NewApiStandIn.start());
        test.startInstance();
        return test;
    }

    /**
     * Prepares a harness without starting an instance, so that a test can set a clock or
     * reroute a store first; {@link #startInstance()} starts one.
     *
     * @param owner names the schema
     * @param withRedis whether Sentinel uses Redis (the machine's, unless rerouted)
     * @param overrides environment values that win over the harness's
     */
    public static SentinelUnderTest prepare(String owner, boolean withRedis,
            Map<String, String> overrides) {
        return new SentinelUnderTest(owner, withRedis, overrides, NewApiStandIn.start());
    }

    /** Sets the clock every instance started from now on reads. */
    public SentinelUnderTest clock(InstantSource instances) {
        this.clock = instances;
        return this;
    }

    /** Makes instances reach PostgreSQL through a port of the test's (a relay). */
    public SentinelUnderTest postgresThrough(int port) {
        environment.put("DATABASE_URL", TestStores.databaseUrl(schema)
                .replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/"));
        return this;
    }

    /** Makes instances use another Redis (a dedicated server), under the same prefix. */
    public SentinelUnderTest redisAt(String redisUrl) {
        environment.put("REDIS_URL", redisUrl);
        return this;
    }

    /** Starts one more instance on the same stores: a second replica. */
    public Sentinel startInstance() {
        Sentinel sentinel = Sentinel.start(SentinelConfig.load(environment), clock);
        instances.add(sentinel);
        return sentinel;
    }

    /** Returns the identity Sentinel stores for a raw key. */
    public TokenHash tokenHash(String rawKey) {
        return new TokenHasher(secrets.get(0)).identify(ApiKey.fromPasted(rawKey));
    }

    /** Returns a client of an instance's management port. */
    public LoopbackClient management(Sentinel instance) {
        return new LoopbackClient("127.0.0.1", new InetSocketAddress("127.0.0.1",
                instance.managementPort()));
    }

    /** Returns an instance's meters, scraped now. */
    public Scrape metrics(Sentinel instance) {
        return Scrape.parse(management(instance).get("/metrics").body());
    }

    /** Returns an instance's {@code /health/ready} answer: status and JSON body. */
    public LoopbackClient.Response readiness(Sentinel instance) {
        return management(instance).get("/health/ready");
    }

    /** Returns whether an instance's readiness report shows a store in a state. */
    public boolean storeIs(Sentinel instance, String store, String state) {
        return readiness(instance).body().contains("\"" + store + "\":\"" + state + "\"");
    }

    /**
     * Writes a binding straight into PostgreSQL, so that no cache has heard of it.
     *
     * @param rawKey the key
     * @param cidr its one rule
     */
    public void insertBinding(String rawKey, String cidr) {
        String address = cidr.substring(0, cidr.indexOf('/'));
        try (Connection connection = TestStores.connect();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO "
                        + schema + ".binding (token_hash, hint, rules, status, bound_at, "
                        + "last_seen_at, last_ip) VALUES (?, ?, ARRAY[CAST(? AS cidr)], "
                        + "'active', now(), now(), CAST(? AS inet))")) {
            statement.setString(1, tokenHash(rawKey).hex());
            statement.setString(2, ApiKey.fromPasted(rawKey).hint());
            statement.setString(3, cidr);
            statement.setString(4, address);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one SQL statement in the test's schema (such as an admin's change). */
    public void execute(String sql) {
        try (Connection connection = TestStores.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the result of a query that yields one number, as a long. */
    public long queryLong(String sql) {
        try (Connection connection = TestStores.connect();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the first instance. */
    public Sentinel sentinel() {
        return instances.get(0);
    }

    /** Returns the downstream. */
    public NewApiStandIn downstream() {
        return downstream;
    }

    /** Returns the admin password the instances were started with. */
    public String adminPassword() {
        return secrets.get(1);
    }

    /** Returns the admin token signing secret the instances were started with. */
    public String adminJwtSecret() {
        return secrets.get(2);
    }

    /** Returns an admin API client from {@code sourceIp} to a given instance, not logged in. */
    public AdminClient admin(String sourceIp, Sentinel instance) {
        return new AdminClient(from(sourceIp, instance), adminPassword());
    }

    /** Returns an admin API client from 127.0.0.1 to the first instance, logged in. */
    public AdminClient admin() {
        return admin("127.0.0.1", sentinel()).logIn();
    }

    /** Returns the Redis key prefix, or {@code null} without Redis. */
    public String redisPrefix() {
        return redisPrefix;
    }

    /** Returns every instance started, the first one first. */
    public List<Sentinel> instances() {
        return List.copyOf(instances);
    }

    /** Returns the schema. */
    public String schema() {
        return schema;
    }

    /** Returns a client whose requests come from {@code sourceIp}, to the first instance. */
    public LoopbackClient from(String sourceIp) {
        return from(sourceIp, sentinel());
    }

    /** Returns a client whose requests come from {@code sourceIp}, to a given instance. */
    public LoopbackClient from(String sourceIp, Sentinel instance) {
        return new LoopbackClient(sourceIp, new InetSocketAddress("127.0.0.1",
                instance.port()));
    }

    /** Returns the number of binding rows. */
    public int bindingCount() {
        return queryInt("SELECT count(*) FROM " + schema + ".binding");
    }

    /** Returns the rules of the binding whose hint is {@code hint}, as text. */
    public List<String> rulesByHint(String hint) {
        try (Connection connection = TestStores.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT unnest(rules)::text FROM " + schema + ".binding WHERE hint = ?")) {
            statement.setString(1, hint);
            List<String> rules = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    rules.add(rows.getString(1));
                }
            }
            return rules;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the result of a query that yields one integer. */
    public int queryInt(String sql) {
        try (Connection connection = TestStores.connect();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops every instance, scans for leaked secrets, and removes the test's data (or, in a
     * whole run, leaves it to the scan after the run).
     */
    @Override
    public void close() {
        for (Sentinel instance : instances) {
            instance.close();
        }
        downstream.close();
        try {
            List<String> everything = new ArrayList<>(Keys.issued());
            everything.addAll(secrets);
            assertThat(SecretScan.findLeaks(everything, schema, redisPrefix, LogCapture.text()))
                    .as("raw keys or secrets at rest").isEmpty();
        } finally {
            if (AtRest.keepsData()) {
                // The scan after the whole run reads them too, then removes them.
                AtRest.keepSchema(schema);
                if (redisPrefix != null) {
                    AtRest.keepRedisPrefix(redisPrefix);
                }
            } else {
                TestStores.dropSchema(schema);
                if (redisPrefix != null) {
                    RedisKeys.delete(redisPrefix);
                }
            }
        }
    }
}
