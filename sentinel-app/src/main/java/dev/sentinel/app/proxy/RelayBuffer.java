package dev.sentinel.app.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The buffer one answer is relayed through, sized by what arrives: small at first, four
 * times larger after each read that filled it, up to {@value #MAX_SIZE} bytes.
 *
 * <p>Helidon's client allocates, for every read of an answer, a buffer as long as the one
 * the caller reads into, however little has arrived. A fixed 16 KiB cost 48 KiB of garbage
 * per small JSON answer (its read and the read that finds the end) and 16 KiB per
 * server-sent event. Answers and events mostly fit the first size; a large download reaches
 * the largest reads after three full ones.
 *
 * <p>Not thread-safe: one per relayed answer.
 */
final class RelayBuffer {

    /** The size of the first read. */
    static final int FIRST_SIZE = 2 * 1024;

    /** The size reads grow to and stay at. */
    static final int MAX_SIZE = 64 * 1024;

    private byte[] bytes = new byte[FIRST_SIZE];
    private boolean filled;

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
            bytes = new byte[Math.min(MAX_SIZE, bytes.length * 4)];
        }
        int read = in.read(bytes, 0, bytes.length);
        filled = read == bytes.length;
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
        return bytes.length;
    }
}
