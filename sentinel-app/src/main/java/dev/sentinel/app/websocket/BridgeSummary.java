package dev.sentinel.app.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * How a bridged connection ended and what crossed it.
 *
 * @param closedBy who started the close
 * @param code the close code the client was sent, or received when it closed first;
 *         1006 when the client's connection ended without a close frame
 * @param bytesFromClient payload bytes of data frames relayed to New API
 * @param bytesToClient payload bytes of data frames relayed to the client
 * @param duration from the upgrade to the end
 */
public record BridgeSummary(ClosedBy closedBy, int code, long bytesFromClient,
        long bytesToClient, Duration duration) {

    /** Checks the parts. */
    public BridgeSummary {
        Objects.requireNonNull(closedBy, "closedBy");
        Objects.requireNonNull(duration, "duration");
    }

    /** Who started the end of a connection. */
    public enum ClosedBy {
        /** The client sent a close frame. */
        CLIENT,
        /** New API sent a close frame. */
        DOWNSTREAM,
        /** A connection broke, or Sentinel ended it (a queue overflowed, an idle timeout). */
        SENTINEL
    }
}
