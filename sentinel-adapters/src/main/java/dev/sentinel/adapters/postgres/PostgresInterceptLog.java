package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.adapters.internal.StoreOutageException;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Intercept;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Intercept rows written by one background virtual thread, in batches, with floods of one
 * key folded into one summary row per key and minute.
 *
 * <ol>
 *   <li>{@link #record} only counts and enqueues. The first rows of a key in a minute (the
 *       per-key allowance) are queued as rows; later ones, and any that find the row queue
 *       full, are folded into the key's summary for that minute. Only an intercept that fits
 *       neither is dropped, and counted.</li>
 *   <li>The writer takes up to {@value #BATCH_SIZE} rows and inserts them in one
 *       transaction; about once a second it upserts the pending summaries, adding their
 *       counts to any row another replica or an earlier write made.</li>
 *   <li>If the database is down, rows and summaries stay in memory and the writer waits for
 *       the circuit to close; the bounds still count them.</li>
 *   <li>If the database refuses a batch, each row is tried alone and the refused ones are
 *       dropped and counted, so that one bad row cannot block the log.</li>
 * </ol>
 *
 * <p>So written rows plus summarised intercepts plus {@link #dropped()} always equal the
 * intercepts recorded.
 *
 * <p>Thread-safe.
 */
final class PostgresInterceptLog implements BufferedInterceptLog {

    static final int BATCH_SIZE = 500;
    static final int MAX_PATH_LENGTH = 2048;
    static final int MAX_USER_AGENT_LENGTH = 512;
    static final int MAX_METHOD_LENGTH = 32;

    private static final System.Logger LOG =
            System.getLogger(PostgresInterceptLog.class.getName());
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final long IDLE_POLL_MILLIS = 200;
    private static final long SUMMARY_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    /** Pending summaries at most; each holds at most a hundred addresses. */
    private static final int MAX_PENDING_SUMMARIES = 10_000;

    private static final String INSERT = """
            INSERT INTO intercept_log (at, token_hash, hint, client_ip, bound_rules, method,
                    path, user_agent, reason)
            VALUES (:at, CAST(:tokenHash AS char(64)), :hint, CAST(:clientIp AS inet),
                    CAST(:boundRules AS cidr[]), :method, :path, :userAgent, :reason)""";

    private static final String UPSERT_SUMMARY = """
            INSERT INTO intercept_summary AS s (token_hash, minute, hint, intercepts,
                    addresses, first_at, last_at)
            VALUES (CAST(:tokenHash AS char(64)), :minute, :hint, :intercepts,
                    CAST(:addresses AS inet[]), :firstAt, :lastAt)
            ON CONFLICT (token_hash, minute) DO UPDATE SET
                intercepts = s.intercepts + EXCLUDED.intercepts,
                addresses = ARRAY(SELECT DISTINCT a FROM unnest(s.addresses
                        || EXCLUDED.addresses) AS merged(a) LIMIT :maxAddresses),
                first_at = LEAST(s.first_at, EXCLUDED.first_at),
                last_at = GREATEST(s.last_at, EXCLUDED.last_at)""";

    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final int capacity;
    private final FloodGate gate;
    private final InterceptSummaries summaries =
            new InterceptSummaries(MAX_PENDING_SUMMARIES);
    private final LinkedBlockingQueue<Intercept> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder summarized = new LongAdder();
    private final AtomicInteger flushWaiters = new AtomicInteger();
    private long lastSummaryWrite = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean stopping;

    PostgresInterceptLog(Jdbi jdbi, StoreCircuit circuit, int capacity, int rowsPerKeyPerMinute) {
        if (capacity < 1) {
            throw new IllegalArgumentException("intercept buffer size " + capacity
                    + " is not positive: expected at least 1");
        }
        this.gate = new FloodGate(rowsPerKeyPerMinute);
        this.jdbi = jdbi;
        this.circuit = circuit;
        this.capacity = capacity;
        this.writer = Thread.ofVirtual().name("sentinel-intercept-writer").start(this::writeLoop);
    }

    @Override
    public void record(Intercept intercept) {
        Objects.requireNonNull(intercept, "intercept");
        if (closed) {
            dropped.increment();
            return;
        }

        // A key's first rows in a minute are written as they are, for admins to read.
        if (gate.admit(intercept.tokenHash(), intercept.at())) {
            if (buffered.incrementAndGet() <= capacity) {
                queue.add(intercept);
                return;
            }
            buffered.decrementAndGet();
        }

        // A flood, or a full queue in a long outage: counted in the key's minute summary.
        if (summaries.add(intercept)) {
            summarized.increment();
            return;
        }
        dropped.increment();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public long summarized() {
        return summarized.sum();
    }

    @Override
    public int buffered() {
        return buffered.get() + summaries.size();
    }

    @Override
    public boolean flush(Duration timeout) {
        long remaining = timeout.toNanos();
        flushWaiters.incrementAndGet();
        lock.lock();
        try {
            while (buffered() > 0 && remaining > 0) {
                remaining = progress.awaitNanos(remaining);
            }
            return buffered() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return buffered() == 0;
        } finally {
            lock.unlock();
            flushWaiters.decrementAndGet();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flush(CLOSE_WAIT);
        stopping = true;
        try {
            writer.join(Duration.ofMillis(IDLE_POLL_MILLIS * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long lost = buffered.getAndSet(0) + summaries.intercepts();
        summaries.drain();
        if (lost > 0) {
            dropped.add(lost);
            LOG.log(System.Logger.Level.WARNING, "intercept log closed with {0} rows unwritten "
                    + "(dropped={1})", lost, dropped.sum());
        }
    }

    private void writeLoop() {
        List<Intercept> batch = new ArrayList<>(BATCH_SIZE);
        while (!stopping) {
            try {
                if (batch.isEmpty()) {
                    takeBatch(batch);
                }
                boolean summariesDue = summariesDue();
                if (batch.isEmpty() && !summariesDue) {
                    continue;
                }
                if (!circuit.isUp()) {
                    circuit.awaitUp(Duration.ofMillis(IDLE_POLL_MILLIS));
                    continue;
                }
                if (!batch.isEmpty()) {
                    write(batch);
                }
                if (batch.isEmpty() && summariesDue) {
                    writeSummaries();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The writer must outlive any surprise, or the log silently stops.
                LOG.log(System.Logger.Level.ERROR, "intercept writer failed; retrying", e);
            }
        }
    }

    /** Summaries go out about once a second, or at once when someone waits for a flush. */
    private boolean summariesDue() {
        return summaries.size() > 0 && (flushWaiters.get() > 0 || closed
                || System.nanoTime() - lastSummaryWrite >= SUMMARY_INTERVAL_NANOS);
    }

    private void writeSummaries() {
        lastSummaryWrite = System.nanoTime();
        List<InterceptSummaries.Summary> pending = summaries.drain();
        if (pending.isEmpty()) {
            return;
        }
        try {
            circuit.run("write intercept summaries", () -> jdbi.useTransaction(handle ->
                    upsertSummaries(handle, pending)));
            summariesSettled(0);
        } catch (StoreOutageException e) {
            summaries.restore(pending);
        } catch (StoreUnavailableException e) {
            writeSummariesOneByOne(pending);
        }
    }

    private void writeSummariesOneByOne(List<InterceptSummaries.Summary> pending) {
        for (int i = 0; i < pending.size(); i++) {
            InterceptSummaries.Summary summary = pending.get(i);
            try {
                circuit.run("write an intercept summary", () -> jdbi.useHandle(handle ->
                        upsertSummaries(handle, List.of(summary))));
            } catch (StoreOutageException e) {
                summaries.restore(pending.subList(i, pending.size()));
                return;
            } catch (StoreUnavailableException e) {
                summariesSettled(summary.intercepts());
                LOG.log(System.Logger.Level.WARNING, "intercept summary for key {0}… refused "
                        + "and dropped intercepts={1}: {2}", summary.tokenHash().prefix(12),
                        summary.intercepts(), e.getMessage());
            }
        }
        summariesSettled(0);
    }

    private void summariesSettled(long refusedIntercepts) {
        dropped.add(refusedIntercepts);
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean takeBatch(List<Intercept> batch) throws InterruptedException {
        Intercept first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH_SIZE - 1);
        return true;
    }

    private void write(List<Intercept> batch) {
        try {
            circuit.run("write intercept rows", () -> jdbi.useTransaction(handle ->
                    insert(handle, batch)));
            settled(batch.size(), 0);
            batch.clear();
        } catch (StoreOutageException e) {
            // Kept in hand: the loop waits for the database to come back.
        } catch (StoreUnavailableException e) {
            writeOneByOne(batch);
        }
    }

    private void writeOneByOne(List<Intercept> batch) {
        Iterator<Intercept> rows = batch.iterator();
        while (rows.hasNext()) {
            Intercept row = rows.next();
            try {
                circuit.run("write an intercept row", () -> jdbi.useHandle(handle ->
                        insert(handle, List.of(row))));
                rows.remove();
                settled(1, 0);
            } catch (StoreOutageException e) {
                return;
            } catch (StoreUnavailableException e) {
                rows.remove();
                settled(0, 1);
                LOG.log(System.Logger.Level.WARNING, "intercept row for key {0}… refused and "
                        + "dropped: {1}", row.tokenHash().prefix(12), e.getMessage());
            }
        }
    }

    private void settled(int written, int refused) {
        buffered.addAndGet(-(written + refused));
        dropped.add(refused);
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void upsertSummaries(Handle handle,
            List<InterceptSummaries.Summary> pending) {
        PreparedBatch batch = handle.prepareBatch(UPSERT_SUMMARY);
        for (InterceptSummaries.Summary summary : pending) {
            String[] addresses = summary.addresses().stream().map(Object::toString)
                    .toArray(String[]::new);
            batch.bind("tokenHash", summary.tokenHash().hex())
                    .bind("minute", SqlText.timestamp(summary.minuteStart()))
                    .bind("hint", SqlText.storable(summary.hint(),
                            PostgresBindingStore.MAX_HINT_LENGTH))
                    .bind("intercepts", summary.intercepts())
                    .bindArray("addresses", String.class, (Object[]) addresses)
                    .bind("firstAt", SqlText.timestamp(summary.firstAt()))
                    .bind("lastAt", SqlText.timestamp(summary.lastAt()))
                    .bind("maxAddresses", InterceptSummaries.MAX_ADDRESSES)
                    .add();
        }
        batch.execute();
    }

    private static void insert(Handle handle, List<Intercept> rows) {
        PreparedBatch batch = handle.prepareBatch(INSERT);
        for (Intercept row : rows) {
            batch.bind("at", SqlText.timestamp(row.at()))
                    .bind("tokenHash", row.tokenHash().hex())
                    .bind("hint", SqlText.storable(row.hint(),
                            PostgresBindingStore.MAX_HINT_LENGTH))
                    .bind("clientIp", row.clientIp().toString())
                    .bindArray("boundRules", String.class,
                            (Object[]) SqlText.cidrs(row.boundRules()))
                    .bind("method", SqlText.storable(row.method(), MAX_METHOD_LENGTH))
                    .bind("path", SqlText.storable(row.path(), MAX_PATH_LENGTH))
                    .bind("userAgent", SqlText.storable(row.userAgent(),
                            MAX_USER_AGENT_LENGTH))
                    .bind("reason", row.reason().code())
                    .add();
        }
        batch.execute();
    }
}
