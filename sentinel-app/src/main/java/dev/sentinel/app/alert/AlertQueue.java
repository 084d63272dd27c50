package dev.sentinel.app.alert;

import dev.sentinel.domain.alert.AlertPolicy;
import dev.sentinel.domain.binding.Intercept;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes intercepts off the request path: a request only offers its intercept to a bounded
 * queue, and one virtual thread counts them through the {@link AlertPolicy} (a Redis round
 * trip each) in arrival order. A full queue drops the intercept from alerting only (it is
 * still logged) and counts the drop.
 *
 * <p>Thread-safe.
 */
public final class AlertQueue implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sentinel.alerts");
    private static final long POLL_MILLIS = 200;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final AlertPolicy policy;
    private final BlockingQueue<Intercept> queue;
    private final LongAdder checked = new LongAdder();
    private final LongAdder raised = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread worker;
    private volatile boolean closed;

    /**
     * Starts the worker.
     *
     * @param policy decides when intercepts raise an alert
     * @param capacity intercepts waiting at most
     */
    public AlertQueue(AlertPolicy policy, int capacity) {
        this.policy = Objects.requireNonNull(policy, "policy");
        if (capacity < 1) {
            throw new IllegalArgumentException("alert queue capacity " + capacity
                    + " is not positive");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = Thread.ofVirtual().name("sentinel-alert-counter").start(this::work);
    }

    /**
     * Hands an intercept over for counting; never blocks.
     *
     * @param intercept the stopped request
     */
    public void offer(Intercept intercept) {
        if (closed || !queue.offer(Objects.requireNonNull(intercept, "intercept"))) {
            dropped.increment();
        }
    }

    /** Returns how many intercepts the policy has counted. */
    public long checked() {
        return checked.sum();
    }

    /** Returns how many alerts the policy raised here. */
    public long raised() {
        return raised.sum();
    }

    /** Returns how many intercepts were not counted because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Counts what is queued for up to two seconds, then stops. */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.add(queue.size());
        queue.clear();
    }

    private void work() {
        while (true) {
            Intercept next;
            try {
                next = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                if (policy.observe(next).isPresent()) {
                    raised.increment();
                }
            } catch (RuntimeException e) {
                // The worker must outlive any surprise, or alerting silently stops.
                LOG.log(Level.ERROR, "alert counting failed key=" + next.hint(), e);
            } finally {
                checked.increment();
            }
        }
    }
}
