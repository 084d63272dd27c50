package dev.sentinel.app.websocket;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Frames waiting to be written to one side of a bridge, and the virtual thread that writes
 * them in order. The queue is bounded in frames and in bytes (a frame being written still
 * counts), so a side that reads slower than the other writes makes {@link #offer} fail
 * instead of making Sentinel buffer without end.
 *
 * <p>Thread-safe: any thread may offer; one writer thread drains.
 */
final class Outbound {

    /** Writes one frame to a side; blocks until the side took it. */
    @FunctionalInterface
    interface Sink {
        void write(Frame frame) throws Exception;
    }

    private final String name;
    private final int maxFrames;
    private final long maxBytes;
    private final Sink sink;
    private final Consumer<Exception> onFailure;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private long queuedBytes;
    private boolean stopped;
    private Thread writer;

    /**
     * Creates a queue; {@link #start} starts its writer.
     *
     * @param name the writer thread's name
     * @param maxFrames most frames queued at once
     * @param maxBytes most payload bytes queued at once; a single larger frame is still
     *         accepted into an empty queue
     * @param sink where frames go
     * @param onFailure told once when the sink fails; the queue stops
     */
    Outbound(String name, int maxFrames, long maxBytes, Sink sink,
            Consumer<Exception> onFailure) {
        this.name = name;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Starts the writer. */
    void start() {
        lock.lock();
        try {
            if (writer == null && !stopped) {
                writer = Thread.ofVirtual().name(name).start(this::drain);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a frame.
     *
     * @param frame the frame
     * @return {@code false} when the queue is full: the reader is too slow; {@code true}
     *         when queued, or dropped because the queue was stopped
     */
    boolean offer(Frame frame) {
        lock.lock();
        try {
            if (stopped) {
                return true;
            }
            boolean full = frames.size() >= maxFrames
                    || (queuedBytes > 0 && queuedBytes + frame.size() > maxBytes);
            if (full) {
                return false;
            }
            enqueue(frame);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a close frame after everything already queued, whatever the bounds say. */
    void offerClose(Frame.Close close) {
        lock.lock();
        try {
            if (!stopped) {
                enqueue(close);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops what is queued and stops the writer once its current write returns. A writer
     * blocked in a write is not interrupted: the caller closes the side instead.
     */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            frames.clear();
            queuedBytes = 0;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the queue and interrupts a writer blocked in a write. Interrupting a virtual
     * thread blocked on a socket closes that socket: the way to free a writer stuck behind
     * a peer that reads nothing.
     */
    void abort() {
        stop();
        Thread current;
        lock.lock();
        try {
            current = writer;
        } finally {
            lock.unlock();
        }
        if (current != null && current != Thread.currentThread()) {
            current.interrupt();
        }
    }

    /** Returns the bytes queued or being written, for tests and logs. */
    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(Frame frame) {
        frames.addLast(frame);
        queuedBytes += frame.size();
        ready.signal();
    }

    private void drain() {
        while (true) {
            Frame frame;
            lock.lock();
            try {
                while (frames.isEmpty() && !stopped) {
                    ready.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                frame = frames.peekFirst();
            } finally {
                lock.unlock();
            }

            try {
                sink.write(frame);
            } catch (Exception e) {
                stop();
                onFailure.accept(e);
                return;
            }

            lock.lock();
            try {
                // stop() may have cleared the queue while the frame was written.
                if (!stopped && frames.peekFirst() == frame) {
                    frames.removeFirst();
                    queuedBytes -= frame.size();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
