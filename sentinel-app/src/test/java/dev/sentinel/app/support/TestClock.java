package dev.sentinel.app.support;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that tests move by hand, for Sentinel's windows, freshness and idle days. */
public final class TestClock implements InstantSource {

    private final AtomicReference<Instant> now;

    /** Creates a clock standing at {@code start}. */
    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock forward. */
    public void advance(Duration step) {
        now.updateAndGet(instant -> instant.plus(step));
    }

    /** Sets the clock. */
    public void set(Instant instant) {
        now.set(instant);
    }
}
