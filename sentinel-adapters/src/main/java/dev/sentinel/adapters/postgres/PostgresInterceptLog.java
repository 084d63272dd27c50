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
 * Intercept rows written by one background virtual thread, in batches.
 *
 * <ol>
 *   <li>{@link #record} only counts and enqueues: past the bound, it drops and counts.</li>
 *   <li>The writer takes up to {@value #BATCH_SIZE} rows and inserts them in one
 *       transaction.</li>
 *   <li>If the database is down, the rows stay in hand and the writer waits for the circuit
 *       to close; the bound still counts them.</li>
 *   <li>If the database refuses the batch, each row is tried alone and the refused ones are
 *       dropped and counted, so that one bad row cannot block the log.</li>
 * </ol>
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

    private static final String INSERT = """
            INSERT INTO intercept_log (at, token_hash, hint, client_ip, bound_rules, method,
                    path, user_agent, reason)
            VALUES (:at, CAST(:tokenHash AS char(64)), :hint, CAST(:clientIp AS inet),
                    CAST(:boundRules AS cidr[]), :method, :path, :userAgent, :reason)""";

    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final int capacity;
    private final LinkedBlockingQueue<Intercept> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean stopping;

    PostgresInterceptLog(Jdbi jdbi, StoreCircuit circuit, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("intercept buffer size " + capacity
                    + " is not positive: expected at least 1");
        }
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
        if (buffered.incrementAndGet() > capacity) {
            buffered.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(intercept);
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public int buffered() {
        return buffered.get();
    }

    @Override
    public boolean flush(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (buffered.get() > 0 && remaining > 0) {
                remaining = progress.awaitNanos(remaining);
            }
            return buffered.get() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return buffered.get() == 0;
        } finally {
            lock.unlock();
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
        int lost = buffered.getAndSet(0);
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
                if (batch.isEmpty() && !takeBatch(batch)) {
                    continue;
                }
                if (!circuit.isUp()) {
                    circuit.awaitUp(Duration.ofMillis(IDLE_POLL_MILLIS));
                    continue;
                }
                write(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The writer must outlive any surprise, or the log silently stops.
                LOG.log(System.Logger.Level.ERROR, "intercept writer failed; retrying", e);
            }
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
