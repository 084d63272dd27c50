package dev.sentinel.app.http;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids for {@code X-Sentinel-Request-Id}: unique across replicas (a random process
 * prefix) and cheap (a counter), so an admin can match a client's error to a log line.
 *
 * <p>Thread-safe.
 */
public final class RequestIds {

    /** The response header carrying the id. */
    public static final String HEADER = "X-Sentinel-Request-Id";

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    /** Creates a generator with a random prefix. */
    public RequestIds() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        prefix = HexFormat.of().formatHex(random);
    }

    /** Returns the next id. */
    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
