package dev.sentinel.domain.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fixed alert window: windows of one length tile time from the epoch, so that every
 * replica puts an intercept in the same window without agreeing on anything but the clock.
 *
 * <p>Immutable and thread-safe.
 *
 * @param start the first instant of the window, a whole multiple of the length since the
 *         epoch
 * @param length the window's length, at least one second
 */
public record AlertWindow(Instant start, Duration length) {

    /**
     * Checks the length and the alignment.
     *
     * @throws IllegalArgumentException when the length is under a second or the start is not
     *         a multiple of it
     */
    public AlertWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        if (length.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("alert window " + length
                    + " is too short: expected at least 1 s");
        }
        if (Math.floorMod(start.toEpochMilli(), length.toMillis()) != 0
                || start.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("alert window start " + start
                    + " is not a whole multiple of its length " + length);
        }
    }

    /**
     * Returns the window of a given length that contains an instant.
     *
     * @param at the instant
     * @param length the window length, at least one second
     * @return the window
     */
    public static AlertWindow containing(Instant at, Duration length) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(length, "length");
        long millis = length.toMillis();
        if (millis < 1000) {
            throw new IllegalArgumentException("alert window " + length
                    + " is too short: expected at least 1 s");
        }
        long epochMillis = at.toEpochMilli();
        return new AlertWindow(Instant.ofEpochMilli(epochMillis - Math.floorMod(epochMillis,
                millis)), Duration.ofMillis(millis));
    }

    /** Returns the first instant after the window. */
    public Instant end() {
        return start.plus(length);
    }

    /** Returns whether an instant lies in the window. */
    public boolean contains(Instant at) {
        return !at.isBefore(start) && at.isBefore(end());
    }

    /** Returns the window right after this one. */
    public AlertWindow next() {
        return new AlertWindow(end(), length);
    }
}
