package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.AlertDelivery;
import dev.sentinel.adapters.internal.StoreCircuit;
import dev.sentinel.adapters.internal.StoreOutageException;
import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.alert.Alert;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Alert rows written one at a time by a background virtual thread (alerts are rare), which
 * waits for the circuit while PostgreSQL is down and keeps the row in hand.
 *
 * <p>Thread-safe.
 */
final class PostgresAlertHistory implements AlertHistory {

    static final int MAX_DETAIL_LENGTH = 500;

    private static final System.Logger LOG =
            System.getLogger(PostgresAlertHistory.class.getName());
    private static final long POLL_MILLIS = 200;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private static final String INSERT = """
            INSERT INTO alert (raised_at, token_hash, hint, window_start, window_end,
                    intercepts, threshold, addresses, delivery, attempts, detail)
            VALUES (:raisedAt, CAST(:tokenHash AS char(64)), :hint, :windowStart, :windowEnd,
                    :intercepts, :threshold, CAST(:addresses AS inet[]), :delivery,
                    :attempts, :detail)
            ON CONFLICT ON CONSTRAINT alert_one_per_window DO NOTHING""";

    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final int capacity;
    private final LinkedBlockingQueue<Row> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean stopping;

    PostgresAlertHistory(Jdbi jdbi, StoreCircuit circuit, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("alert buffer size " + capacity
                    + " is not positive: expected at least 1");
        }
        this.jdbi = jdbi;
        this.circuit = circuit;
        this.capacity = capacity;
        this.writer = Thread.ofVirtual().name("sentinel-alert-writer").start(this::writeLoop);
    }

    @Override
    public void record(Alert alert, AlertDelivery delivery) {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(delivery, "delivery");
        if (closed) {
            dropped.increment();
            return;
        }
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(new Row(alert, delivery));
    }

    @Override
    public int pending() {
        return pending.get();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public boolean flush(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (pending.get() > 0 && remaining > 0) {
                remaining = progress.awaitNanos(remaining);
            }
            return pending.get() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pending.get() == 0;
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
        writer.interrupt();
        try {
            writer.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int lost = pending.getAndSet(0);
        if (lost > 0) {
            dropped.add(lost);
            LOG.log(System.Logger.Level.WARNING, "alert history closed with {0} rows unwritten",
                    lost);
        }
    }

    private void writeLoop() {
        Row inHand = null;
        while (!stopping) {
            try {
                if (inHand == null) {
                    inHand = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (inHand == null) {
                        continue;
                    }
                }
                if (!circuit.isUp()) {
                    circuit.awaitUp(Duration.ofMillis(POLL_MILLIS));
                    continue;
                }
                if (write(inHand)) {
                    inHand = null;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The writer must outlive any surprise, or alerts silently stop being kept.
                LOG.log(System.Logger.Level.ERROR, "alert writer failed; retrying", e);
            }
        }
    }

    /** Returns whether the row is settled: written, or refused for good. */
    private boolean write(Row row) {
        try {
            circuit.run("record an alert", () -> jdbi.useHandle(handle -> insert(handle, row)));
            settled();
            return true;
        } catch (StoreOutageException e) {
            return false;
        } catch (StoreUnavailableException e) {
            dropped.increment();
            settled();
            LOG.log(System.Logger.Level.WARNING, "alert for key {0}… refused and dropped: {1}",
                    row.alert().tokenHash().prefix(12), e.getMessage());
            return true;
        }
    }

    private void settled() {
        pending.decrementAndGet();
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void insert(Handle handle, Row row) {
        Alert alert = row.alert();
        String[] addresses = alert.addresses().stream().map(Object::toString)
                .toArray(String[]::new);
        handle.createUpdate(INSERT)
                .bind("raisedAt", SqlText.timestamp(alert.raisedAt()))
                .bind("tokenHash", alert.tokenHash().hex())
                .bind("hint", SqlText.storable(alert.hint(),
                        PostgresBindingStore.MAX_HINT_LENGTH))
                .bind("windowStart", SqlText.timestamp(alert.window().start()))
                .bind("windowEnd", SqlText.timestamp(alert.window().end()))
                .bind("intercepts", alert.intercepts())
                .bind("threshold", alert.threshold())
                .bindArray("addresses", String.class, (Object[]) addresses)
                .bind("delivery", row.delivery().outcome().value())
                .bind("attempts", row.delivery().attempts())
                .bind("detail", SqlText.storable(row.delivery().detail(), MAX_DETAIL_LENGTH))
                .execute();
    }

    private record Row(Alert alert, AlertDelivery delivery) {
    }
}
