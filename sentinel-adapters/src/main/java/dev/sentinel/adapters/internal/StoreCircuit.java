package dev.sentinel.adapters.internal;

import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.StoreStateListener;
import dev.sentinel.domain.StoreUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Detects a dead store once, so that it costs microseconds per call rather than a timeout
 * each.
 *
 * <ol>
 *   <li>Calls go through {@link #call}. A failure that the store's classifier calls an outage
 *       (connection refused or reset, connect or pool timeout) marks the store down.</li>
 *   <li>A reply that is merely late (a read timeout) marks it down only when the store has
 *       answered nothing for the store's grace ({@link SlowReplies}): one late reply in a
 *       saturated process is no outage, a store that accepts connections and never answers
 *       is one.</li>
 *   <li>While down, every call fails at once with a {@link StoreOutageException}, and one
 *       background virtual thread runs the store's probe every probe interval.</li>
 *   <li>The first probe that succeeds marks the store up again, unless the store says it may
 *       not resume yet (it noted, while down, something that the next probe must repair).</li>
 * </ol>
 *
 * <p>Each change of state is reported exactly once to the {@link StoreStateListener}.
 *
 * <p>Thread-safe.
 */
public final class StoreCircuit implements AutoCloseable {

    /** How often a down store is probed unless told otherwise. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(500);

    private static final long ANSWERED = Long.MIN_VALUE;

    /**
     * Which failures are late replies rather than an unreachable store, and how long a store
     * may leave every call unanswered before such failures mark it down.
     *
     * @param isSlowReply picks, among outages, the failures that are only a late reply
     * @param grace how long calls may time out with no call answered in between
     */
    public record SlowReplies(Predicate<Throwable> isSlowReply, Duration grace) {

        /** Every outage marks the store down at once. */
        public static final SlowReplies NONE = new SlowReplies(failure -> false, Duration.ZERO);

        /** Checks the parts. */
        public SlowReplies {
            Objects.requireNonNull(isSlowReply, "isSlowReply");
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("slow reply grace " + grace
                        + " is negative");
            }
        }
    }

    /** Checks whether a down store answers again. */
    @FunctionalInterface
    public interface Probe {
        /**
         * Asks the store something trivial, such as {@code SELECT 1} or {@code PING}.
         *
         * @throws Exception when the store does not answer
         */
        void check() throws Exception;
    }

    private final String name;
    private final Probe probe;
    private final Predicate<Throwable> isOutage;
    private final StoreStateListener listener;
    private final Duration probeInterval;
    private final SlowReplies slowReplies;
    private final BooleanSupplier mayResume;
    /** When the first unanswered call since the last answer timed out; {@link #ANSWERED}. */
    private final AtomicLong unansweredSince = new AtomicLong(ANSWERED);
    /** When the latest call timed out. */
    private final AtomicLong lastLateReply = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition cameUp = lock.newCondition();
    private volatile boolean up = true;
    private volatile boolean closed;
    private volatile Throwable lastFailure;
    private Thread prober;

    private StoreCircuit(String name, Probe probe, Predicate<Throwable> isOutage,
            SlowReplies slowReplies, BooleanSupplier mayResume, StoreStateListener listener,
            Duration probeInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.isOutage = Objects.requireNonNull(isOutage, "isOutage");
        this.slowReplies = Objects.requireNonNull(slowReplies, "slowReplies");
        this.mayResume = Objects.requireNonNull(mayResume, "mayResume");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("probe interval " + probeInterval
                    + " is not positive");
        }
    }

    /**
     * Creates a circuit for a store that is up.
     *
     * @param name the store's name in reports, such as {@code postgresql}
     * @param probe what a down store is asked until it answers
     * @param isOutage which failures mean the store is unreachable (rather than a bad call)
     * @param listener hears every change of state
     * @param probeInterval the pause between two probes
     * @return the circuit, up
     */
    public static StoreCircuit create(String name, Probe probe, Predicate<Throwable> isOutage,
            StoreStateListener listener, Duration probeInterval) {
        return new StoreCircuit(name, probe, isOutage, SlowReplies.NONE, () -> true, listener,
                probeInterval);
    }

    /**
     * Creates a circuit for a store that is up, tolerating late replies for a while.
     *
     * @param name the store's name in reports, such as {@code redis}
     * @param probe what a down store is asked until it answers
     * @param isOutage which failures mean the store is unreachable (rather than a bad call)
     * @param slowReplies which of those are only late replies, and for how long they are
     *         tolerated
     * @param mayResume asked under the circuit's lock after a probe succeeded; {@code false}
     *         keeps the store down until the next probe
     * @param listener hears every change of state
     * @param probeInterval the pause between two probes
     * @return the circuit, up
     */
    public static StoreCircuit create(String name, Probe probe, Predicate<Throwable> isOutage,
            SlowReplies slowReplies, BooleanSupplier mayResume, StoreStateListener listener,
            Duration probeInterval) {
        return new StoreCircuit(name, probe, isOutage, slowReplies, mayResume, listener,
                probeInterval);
    }

    /** Returns the store's name. */
    public String name() {
        return name;
    }

    /** Returns whether the store is up or down. */
    public StoreState state() {
        return up ? StoreState.UP : StoreState.DOWN;
    }

    /** Returns whether calls currently go through. */
    public boolean isUp() {
        return up;
    }

    /**
     * Runs one store call, failing at once while the store is down.
     *
     * @param operation what the call does, for messages ("find a binding")
     * @param action the call
     * @param <T> the result type
     * @return the call's result
     * @throws StoreOutageException when the store is down or the call found it unreachable
     * @throws StoreUnavailableException when the call failed otherwise
     */
    public <T> T call(String operation, Supplier<T> action) {
        if (!up) {
            throw new StoreOutageException(name + " is down: did not " + operation
                    + " (last failure: " + describe(lastFailure) + ")", null);
        }
        T result;
        try {
            result = action.get();
        } catch (RuntimeException e) {
            if (isOutage.test(e) && slowReplies.isSlowReply().test(e) && !unansweredTooLong()) {
                throw new StoreUnavailableException(name + " answered too late: could not "
                        + operation + ": " + describe(e), e);
            }
            if (isOutage.test(e)) {
                markDown(e);
                throw new StoreOutageException(name + " is unreachable: could not " + operation
                        + ": " + describe(e), e);
            }
            throw new StoreUnavailableException(name + " could not " + operation + ": "
                    + describe(e), e);
        }

        // A plain read keeps the common path cheap: the write happens only after a timeout.
        if (unansweredSince.get() != ANSWERED) {
            unansweredSince.set(ANSWERED);
        }
        return result;
    }

    /**
     * Runs {@code note} under the circuit's lock if the store is down (or the circuit
     * closed), so that it happens before the store's {@code mayResume} check.
     *
     * @param note what to record while the store is down
     * @return whether the store was down and {@code note} ran
     */
    public boolean whileDown(Runnable note) {
        lock.lock();
        try {
            if (up && !closed) {
                return false;
            }
            note.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one store call that returns nothing; see {@link #call}.
     *
     * @param operation what the call does, for messages
     * @param action the call
     */
    public void run(String operation, Runnable action) {
        call(operation, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Marks the store down and starts probing it, unless it is down already.
     *
     * @param cause the failure that showed the store unreachable
     */
    public void markDown(Throwable cause) {
        // Reporting under the lock keeps the listener's view in order: down, up, down, ...
        lock.lock();
        try {
            if (closed || !up) {
                return;
            }
            up = false;
            lastFailure = cause;
            unansweredSince.set(ANSWERED);
            report(() -> listener.storeDown(name, cause));
            prober = Thread.ofVirtual().name("sentinel-" + name + "-probe")
                    .start(this::probeUntilUp);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the store is up.
     *
     * @param timeout how long to wait at most
     * @return whether the store is up
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitUp(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!up && !closed && remaining > 0) {
                remaining = cameUp.awaitNanos(remaining);
            }
            return up;
        } finally {
            lock.unlock();
        }
    }

    /** Stops probing; the state no longer changes. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            running = prober;
            cameUp.signalAll();
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.interrupt();
        }
    }

    /** Returns the innermost cause's type and message, which say what actually failed. */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "none";
        }
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && depth < 16; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private void probeUntilUp() {
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(probeInterval.toNanos());
            } catch (InterruptedException e) {
                return;
            }
            try {
                probe.check();
            } catch (Exception e) {
                lastFailure = e;
                continue;
            }
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (!mayResume.getAsBoolean()) {
                    continue;
                }
                up = true;
                prober = null;
                report(() -> listener.storeUp(name));
                cameUp.signalAll();
            } finally {
                lock.unlock();
            }
            return;
        }
    }

    /**
     * Notes one late reply and says whether the store has now answered nothing for longer
     * than the grace. The first late reply starts the count; concurrent calls that time out
     * together after a short stall therefore do not add up to an outage. A late reply more
     * than the grace after the one before starts the count again: two lone timeouts minutes
     * apart on a quiet instance are no outage either.
     */
    private boolean unansweredTooLong() {
        long now = System.nanoTime();
        long grace = slowReplies.grace().toNanos();
        long previous = lastLateReply.getAndSet(now);
        long since = unansweredSince.get();
        if (since == ANSWERED || now - previous > grace) {
            unansweredSince.set(now);
            return grace == 0;
        }
        return now - since >= grace;
    }

    private static void report(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            // A listener must not throw; its failure must not hide the store's state.
        }
    }
}
