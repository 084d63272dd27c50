package dev.sentinel.app.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one bridged connection may hold, and how long a close may take.
 *
 * @param maxQueuedFrames frames waiting for one side, at most
 * @param maxQueuedBytes payload bytes waiting for one side, at most
 * @param maxFrameBytes the largest frame a client may send (Helidon reads a whole frame
 *         into memory)
 * @param closeGrace how long to wait for the other side's close frame, or for a write,
 *         before the connection is dropped
 */
public record BridgeLimits(int maxQueuedFrames, long maxQueuedBytes, int maxFrameBytes,
        Duration closeGrace) {

    /** 1024 frames or 4 MiB per direction, 4 MiB frames, one second to close. */
    public static final BridgeLimits DEFAULT = new BridgeLimits(1024, 4L << 20, 4 << 20,
            Duration.ofSeconds(1));

    /** Checks the values. */
    public BridgeLimits {
        if (maxQueuedFrames < 1) {
            throw new IllegalArgumentException("maxQueuedFrames must be at least 1, was "
                    + maxQueuedFrames);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1, was "
                    + maxQueuedBytes);
        }
        if (maxFrameBytes < 125) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 125, was "
                    + maxFrameBytes);
        }
        Objects.requireNonNull(closeGrace, "closeGrace");
        if (closeGrace.isNegative() || closeGrace.isZero()) {
            throw new IllegalArgumentException("closeGrace must be positive, was "
                    + closeGrace);
        }
    }
}
