package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs the first-use inserts of concurrent requests together: one statement (and one
 * commit) for every request that arrived while the previous statement ran.
 *
 * <p>A request with nobody else waiting is sent at once: batches form only under load, and
 * no request waits for a timer. Up to {@link #MAX_RUNNING} runners each take every request
 * waiting (at most {@link #MAX_BATCH}), run one statement for them and hand each caller its
 * row; requests that arrive meanwhile form the next batch. A runner is a virtual thread of
 * its own, so no caller waits for batches other than its own. One statement and commit per
 * first use cost PostgreSQL about as much CPU as the rest of a first use together.
 *
 * <p>A statement sees each key once, in token hash order, so that two batches (of this
 * process or of another replica) that share keys wait for each other instead of
 * deadlocking.
 *
 * <p>Thread-safe.
 *
 * @param <T> what a request sends: a candidate binding
 */
final class BindingBatches<T> {

    /** Batches in flight at once: a slow statement must not hold up every request. */
    static final int MAX_RUNNING = 2;

    /** Requests per statement, so that one statement stays short. */
    static final int MAX_BATCH = 256;

    private final String name;
    private final Function<T, TokenHash> keyOf;
    private final Statement<T> statement;
    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<Waiting<T>> waiting = new ArrayDeque<>();
    private int running;

    /**
     * Creates the batches.
     *
     * @param name the runners' thread name
     * @param keyOf the key a request is about
     * @param statement runs one batch
     */
    BindingBatches(String name, Function<T, TokenHash> keyOf, Statement<T> statement) {
        this.name = name;
        this.keyOf = keyOf;
        this.statement = statement;
    }

    /**
     * Runs a request with whatever else is waiting.
     *
     * @param request the key or candidate
     * @return the row the statement returned for its key, if any; a key sent twice in one
     *         batch gets it for its first request only, since only that one created it
     */
    Optional<Binding> submit(T request) {
        Waiting<T> mine = new Waiting<>(request);
        lock.lock();
        try {
            waiting.add(mine);
            if (running < MAX_RUNNING) {
                running++;
                Thread.ofVirtual().name(name).start(this::runWhileWaiting);
            }
        } finally {
            lock.unlock();
        }

        try {
            return mine.row.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure
                    ? failure
                    : new IllegalStateException(e.getCause());
        }
    }

    /** Runs batches until nobody waits. */
    private void runWhileWaiting() {
        boolean stopped = false;
        try {
            while (true) {
                List<Waiting<T>> batch;
                lock.lock();
                try {
                    if (waiting.isEmpty()) {
                        running--;
                        stopped = true;
                        return;
                    }
                    batch = drain();
                } finally {
                    lock.unlock();
                }
                run(batch);
            }
        } finally {
            if (!stopped) {
                // Only an Error gets here: whoever still waits needs a runner.
                Thread.ofVirtual().name(name).start(this::runWhileWaiting);
            }
        }
    }

    private List<Waiting<T>> drain() {
        List<Waiting<T>> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
        while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(waiting.poll());
        }
        return batch;
    }

    private void run(List<Waiting<T>> batch) {
        Map<TokenHash, T> distinct = new LinkedHashMap<>();
        for (Waiting<T> one : batch) {
            distinct.putIfAbsent(keyOf.apply(one.request), one.request);
        }
        List<T> ordered = new ArrayList<>(distinct.values());
        ordered.sort(Comparator.comparing(request -> keyOf.apply(request).hex()));

        Map<TokenHash, Binding> rows = null;
        RuntimeException failure = null;
        try {
            rows = statement.run(ordered);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            for (Waiting<T> one : batch) {
                if (rows == null) {
                    one.row.completeExceptionally(failure != null
                            ? failure
                            : new IllegalStateException("the batched statement broke off"));
                    continue;
                }
                TokenHash key = keyOf.apply(one.request);
                boolean answered = distinct.get(key) == one.request;
                one.row.complete(answered
                        ? Optional.ofNullable(rows.get(key))
                        : Optional.empty());
            }
        }
    }

    /** The statement a batch runs. */
    @FunctionalInterface
    interface Statement<T> {

        /**
         * Runs the statement for requests about distinct keys.
         *
         * @param requests one per key, in token hash order
         * @return the rows it returned, by token hash
         */
        Map<TokenHash, Binding> run(List<T> requests);
    }

    /** One caller's request and the row it waits for. */
    private static final class Waiting<T> {

        final T request;
        final CompletableFuture<Optional<Binding>> row = new CompletableFuture<>();

        Waiting(T request) {
            this.request = request;
        }
    }
}
