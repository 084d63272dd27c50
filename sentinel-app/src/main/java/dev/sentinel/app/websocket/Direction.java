package dev.sentinel.app.websocket;

/** Which way a frame crosses the bridge. */
public enum Direction {
    /** From the client towards New API. */
    CLIENT_TO_DOWNSTREAM,
    /** From New API towards the client. */
    DOWNSTREAM_TO_CLIENT
}
