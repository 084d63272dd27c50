package dev.sentinel.app.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The buffer one answer is relayed through, sized by what arrives: small at first, four
 * times larger after each read that filled it, up to {@value #MAX_SIZE} bytes, and never
 * longer than what is left of an answer of declared length.
 *
 * <p>Helidon's client allocates, for every read of an answer, a buffer as long as the one
 * the caller reads into, however little has arrived. A fixed 16 KiB cost 48 KiB of garbage
 * per small JSON answer (its read and the read that finds the end) and 16 KiB per
 * server-sent event. Answers and events mostly fit the first size; a large download reaches
 * the largest reads after three full ones. An answer of declared length is read no further
 * than its length, and the read that finds its end asks for one byte.
 *
 * <p>Not thread-safe: one per relayed answer.
 */
final class RelayBuffer {

    /** The size of the first read. */
    static final int FIRST_SIZE = 2 * 1024;

    /** The size reads grow to and stay at. */
    static final int MAX_SIZE = 64 * 1024;

    private static final long UNKNOWN = -1;

    private long remaining;
    private byte[] bytes;
    private boolean filled;

    /** Creates a buffer for an answer of unknown length (a stream). */
    RelayBuffer() {
        this(UNKNOWN);
    }

    /**
     * Creates a buffer for an answer.
     *
     * @param length the length the answer declares, or -1 when it declares none; Helidon's
     *     client returns no more than a declared length
     */
    RelayBuffer(long length) {
        this.remaining = length;
        this.bytes = new byte[capped(FIRST_SIZE)];
    }

    /**
     * Reads what has arrived, up to the current size.
     *
     * @param in the answer
     * @return the number of bytes read, 0 included, or -1 at the answer's end
     * @throws IOException when the read fails
     */
    int read(InputStream in) throws IOException {
        // Grown only now: the previous read's bytes have been written by this time.
        if (filled && bytes.length < MAX_SIZE) {
            int next = capped(Math.min(MAX_SIZE, bytes.length * 4));
            if (next > bytes.length) {
                bytes = new byte[next];
            }
        }

        int read = in.read(bytes, 0, capped(bytes.length));
        filled = read == bytes.length;
        if (read > 0 && remaining > 0) {
            remaining = Math.max(0, remaining - read);
        }
        return read;
    }

    /**
     * Writes the bytes of the last read.
     *
     * @param out where to
     * @param count what the last read returned
     * @throws IOException when the write fails
     */
    void writeTo(OutputStream out, int count) throws IOException {
        out.write(bytes, 0, count);
    }

    /** Returns the size of the next read, unless the last one filled the buffer. */
    int size() {
        return capped(bytes.length);
    }

    /** Caps a read at what is left of a declared length; asking for nothing would spin. */
    private int capped(int size) {
        if (remaining == UNKNOWN) {
            return size;
        }
        return (int) Math.max(1, Math.min(size, remaining));
    }
}
