package dev.sentinel.app.retention;

import dev.sentinel.adapters.postgres.BatchedLastSeenRecorder;
import dev.sentinel.adapters.postgres.BindingArchive;
import dev.sentinel.adapters.postgres.BindingArchive.ArchiveRun;
import dev.sentinel.adapters.postgres.BindingArchive.Archived;
import dev.sentinel.app.settings.LiveSettings;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingCache;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Retires idle bindings: active, automatically bound keys not allowed for
 * {@code ARCHIVE_DAYS} move to the archive table and leave the caches, so that the key's
 * next use binds it again. Banned and admin-edited bindings stay.
 *
 * <ol>
 *   <li>Write the pending last allowed uses first: a use only this process has seen must
 *       keep its binding.</li>
 *   <li>Archive what is idle by the clock and the {@code ARCHIVE_DAYS} in force, under
 *       PostgreSQL's advisory lock: one replica at a time.</li>
 *   <li>After the archive committed, evict every moved key from the caches (Redis
 *       announces it to the other replicas).</li>
 * </ol>
 *
 * <p>A background virtual thread runs it {@link #FIRST_RUN_DELAY} after start and then every
 * interval; {@link #runNow()} runs it at once.
 *
 * <p>Thread-safe; runs in one process never overlap.
 */
public final class ArchiveJob implements AutoCloseable {

    /** How long after start the first scheduled run comes. */
    public static final Duration FIRST_RUN_DELAY = Duration.ofMinutes(5);

    /** The most bindings one run archives; the next run continues. */
    static final int MAX_PER_RUN = 50_000;

    private static final System.Logger LOG = System.getLogger("dev.sentinel.archive");

    private final BindingArchive archive;
    private final BatchedLastSeenRecorder lastSeen;
    private final BindingCache cache;
    private final LiveSettings settings;
    private final InstantSource clock;
    private final Duration interval;
    private final ReentrantLock running = new ReentrantLock();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final LongAdder archived = new LongAdder();
    private Thread scheduler;

    /**
     * Creates the job; {@link #start()} schedules it.
     *
     * @param archive where idle bindings move
     * @param lastSeen the batched last-use writer, flushed before each run
     * @param cache the caches the moved keys leave
     * @param settings where {@code ARCHIVE_DAYS} is read on each run
     * @param clock what "idle" is measured against
     * @param interval the pause between scheduled runs
     */
    public ArchiveJob(BindingArchive archive, BatchedLastSeenRecorder lastSeen,
            BindingCache cache, LiveSettings settings, InstantSource clock, Duration interval) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.lastSeen = Objects.requireNonNull(lastSeen, "lastSeen");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("archive interval " + interval
                    + " is not positive");
        }
    }

    /** Starts the schedule. */
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Thread.ofVirtual().name("sentinel-archive").start(this::schedule);
        }
    }

    /**
     * Runs the job now.
     *
     * @return what was archived, or busy when another replica is archiving
     * @throws StoreUnavailableException when PostgreSQL cannot answer
     */
    public ArchiveRun runNow() {
        running.lock();
        try {
            // A use this process has only in memory must count before "idle" is judged.
            lastSeen.flush();
            Instant now = clock.instant();
            int days = settings.current().archiveDays();
            Instant lastAllowedBefore = now.minus(Duration.ofDays(days));

            ArchiveRun run = archive.archiveIdle(lastAllowedBefore, now, MAX_PER_RUN);
            if (run instanceof Archived moved) {
                for (TokenHash tokenHash : moved.tokenHashes()) {
                    cache.evict(tokenHash);
                }
                archived.add(moved.tokenHashes().size());
                if (!moved.tokenHashes().isEmpty()) {
                    LOG.log(Level.INFO, "idle bindings archived count={0} idleDays={1} "
                            + "lastAllowedBefore={2}", moved.tokenHashes().size(), days,
                            lastAllowedBefore);
                }
            } else {
                LOG.log(Level.DEBUG, "archive skipped: another replica is archiving");
            }
            return run;
        } finally {
            running.unlock();
        }
    }

    /** Returns how many bindings this process has archived since start. */
    public long archived() {
        return archived.sum();
    }

    @Override
    public void close() {
        closing.countDown();
        Thread running;
        synchronized (this) {
            running = scheduler;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void schedule() {
        Duration wait = FIRST_RUN_DELAY.compareTo(interval) < 0 ? FIRST_RUN_DELAY : interval;
        while (true) {
            try {
                if (closing.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                runNow();
            } catch (StoreUnavailableException e) {
                LOG.log(Level.WARNING, "archive run failed, next in {0}: {1}", interval,
                        e.getMessage());
            } catch (RuntimeException e) {
                // The schedule must survive a surprise, or idle keys silently pile up.
                LOG.log(Level.ERROR, "archive run failed, next in " + interval, e);
            }
            wait = interval;
        }
    }
}
