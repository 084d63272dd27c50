package dev.sentinel.app;

import static dev.sentinel.app.RedisOutageUnderLoadIT.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.postgres.BindingArchive.ArchiveRun;
import dev.sentinel.adapters.postgres.BindingArchive.Archived;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TestClock;
import dev.sentinel.app.support.TestStores;
import dev.sentinel.domain.credential.ApiKey;
import dev.sentinel.domain.credential.TokenHash;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * SPEC §6 with a clock the test moves: a binding not allowed for ARCHIVE_DAYS moves to the
 * archive and leaves the caches, so the key binds again from a new address; banned and
 * admin-edited bindings stay; two replicas archiving at once archive each binding once.
 */
class ArchiveRetentionIT {

    private static final Duration IDLE = Duration.ofDays(31);

    private static TestClock clock;
    private static SentinelUnderTest sentinel;
    private static Sentinel first;
    private static Sentinel second;

    @BeforeAll
    static void start() {
        clock = new TestClock(Instant.parse("2031-06-01T08:00:00Z"));
        sentinel = SentinelUnderTest.prepare("archive", true, Map.of("ARCHIVE_DAYS", "30"))
                .clock(clock);
        first = sentinel.startInstance();
        second = sentinel.startInstance();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void anIdleBindingIsArchivedLeavesTheCacheAndTheKeyBindsAgainFromANewAddress() {
        String key = Keys.fresh();
        assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(key)).status())
                .isEqualTo(200);
        TokenHash hash = sentinel.tokenHash(key);
        assertThat(cachedInRedis(hash)).isTrue();

        clock.advance(IDLE);
        ArchiveRun run = first.archiveIdleBindings();

        assertThat(run).isInstanceOf(Archived.class);
        assertThat(((Archived) run).tokenHashes()).contains(hash);
        assertThat(rowsOf("binding", hash)).isZero();
        assertThat(rowsOf("archived_binding", hash)).isEqualTo(1);
        assertThat(cachedInRedis(hash)).isFalse();

        assertThat(sentinel.from("127.0.0.3").get("/v1/models", bearer(key)).status())
                .isEqualTo(200);
        assertThat(sentinel.from("127.0.0.2").get("/v1/models", bearer(key)).status())
                .isEqualTo(403);
        assertThat(sentinel.rulesByHint(hintOf(key))).containsExactly("127.0.0.3/32");
    }

    @Test
    void aUseNotYetWrittenKeepsItsBindingFromBeingArchived() {
        String key = Keys.fresh();
        assertThat(sentinel.from("127.0.0.4").get("/v1/models", bearer(key)).status())
                .isEqualTo(200);
        clock.advance(Duration.ofDays(20));
        assertThat(sentinel.from("127.0.0.4").get("/v1/models", bearer(key)).status())
                .isEqualTo(200);

        // Idle for 31 days since binding, but allowed 11 days ago: the job flushes first.
        clock.advance(Duration.ofDays(11));
        first.archiveIdleBindings();

        assertThat(rowsOf("binding", sentinel.tokenHash(key))).isEqualTo(1);
    }

    @Test
    void bannedAndAdminEditedBindingsAreNeverArchived() {
        String banned = Keys.fresh();
        String edited = Keys.fresh();
        assertThat(sentinel.from("127.0.0.5").get("/v1/models", bearer(banned)).status())
                .isEqualTo(200);
        assertThat(sentinel.from("127.0.0.6").get("/v1/models", bearer(edited)).status())
                .isEqualTo(200);
        sentinel.execute("UPDATE binding SET status = 'banned', revision = revision + 1 "
                + "WHERE token_hash = '" + sentinel.tokenHash(banned).hex() + "'");
        sentinel.execute("UPDATE binding SET rules_set_by_admin = true, revision = revision "
                + "+ 1 WHERE token_hash = '" + sentinel.tokenHash(edited).hex() + "'");

        clock.advance(IDLE);
        first.archiveIdleBindings();

        assertThat(rowsOf("binding", sentinel.tokenHash(banned))).isEqualTo(1);
        assertThat(rowsOf("binding", sentinel.tokenHash(edited))).isEqualTo(1);
        assertThat(rowsOf("archived_binding", sentinel.tokenHash(banned))).isZero();
    }

    @Test
    void twoReplicasRunningTheJobAtOnceArchiveEachBindingOnce() throws Exception {
        List<TokenHash> idle = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = Keys.fresh();
            String address = "127.0.1." + (i + 1);
            assertThat(sentinel.from(address, i % 2 == 0 ? first : second)
                    .get("/v1/models", bearer(key)).status()).isEqualTo(200);
            idle.add(sentinel.tokenHash(key));
        }
        clock.advance(IDLE);

        CountDownLatch go = new CountDownLatch(1);
        List<Future<ArchiveRun>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Sentinel replica : List.of(first, second)) {
                Callable<ArchiveRun> run = () -> {
                    go.await();
                    return replica.archiveIdleBindings();
                };
                runs.add(threads.submit(run));
            }
            go.countDown();
        }

        List<TokenHash> moved = new ArrayList<>();
        for (Future<ArchiveRun> run : runs) {
            if (run.get() instanceof Archived archived) {
                moved.addAll(archived.tokenHashes());
            }
        }
        assertThat(moved).containsAll(idle).doesNotHaveDuplicates();
        for (TokenHash hash : idle) {
            assertThat(rowsOf("archived_binding", hash)).isEqualTo(1);
            assertThat(rowsOf("binding", hash)).isZero();
        }
    }

    private static long rowsOf(String table, TokenHash hash) {
        return sentinel.queryLong("SELECT count(*) FROM " + sentinel.schema() + "." + table
                + " WHERE token_hash = '" + hash.hex() + "'");
    }

    private static boolean cachedInRedis(TokenHash hash) {
        try (RedisClient redis = RedisClient.create(URI.create(TestStores.REDIS_URL))) {
            return redis.exists(sentinel.redisPrefix() + "binding:" + hash.hex());
        }
    }

    private static String hintOf(String key) {
        return ApiKey.fromPasted(key).hint();
    }
}
