package dev.sentinel.app.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelayBufferTest {

    @Test
    void aLargeAnswerIsCopiedWholeInReadsGrowingFourfoldToTheLargestSize() throws IOException {
        byte[] answer = randomBytes(1_000_000);
        RelayBuffer buffer = new RelayBuffer();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        List<Integer> reads = new ArrayList<>();

        InputStream in = new ByteArrayInputStream(answer);
        int read;
        while ((read = buffer.read(in)) >= 0) {
            reads.add(read);
            buffer.writeTo(copy, read);
        }

        assertThat(copy.toByteArray()).isEqualTo(answer);
        assertThat(reads.subList(0, 5)).containsExactly(2048, 8192, 32768, 65536, 65536);
        assertThat(reads).allMatch(size -> size <= RelayBuffer.MAX_SIZE);
    }

    @Test
    void readsThatDoNotFillTheBufferKeepItSmall() throws IOException {
        // Server-sent events: each read returns one event of a few hundred bytes.
        InputStream events = new InputStream() {
            private int left = 100;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (left-- == 0) {
                    return -1;
                }
                int size = Math.min(length, 300);
                into[offset] = 'd';
                return size;
            }
        };
        RelayBuffer buffer = new RelayBuffer();

        while (buffer.read(events) >= 0) {
            assertThat(buffer.size()).isEqualTo(RelayBuffer.FIRST_SIZE);
        }
    }

    @Test
    void theBytesOfAReadStayIntactUntilTheNextRead() throws IOException {
        byte[] answer = randomBytes(RelayBuffer.FIRST_SIZE + 10);
        RelayBuffer buffer = new RelayBuffer();
        InputStream in = new ByteArrayInputStream(answer);

        int first = buffer.read(in);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        buffer.writeTo(copy, first);
        int second = buffer.read(in);
        buffer.writeTo(copy, second);

        assertThat(first).isEqualTo(RelayBuffer.FIRST_SIZE);
        assertThat(second).isEqualTo(10);
        assertThat(copy.toByteArray()).isEqualTo(answer);
    }

    @Test
    void anAnswerOfDeclaredLengthIsReadNoFurtherThanItsLengthAndItsEndWithOneByte()
            throws IOException {
        // Helidon's client allocates what each read asks for: a small answer must not cost
        // two buffers of the first size.
        assertThat(asked(90)).containsExactly(90, 1);
        assertThat(asked(RelayBuffer.FIRST_SIZE)).containsExactly(RelayBuffer.FIRST_SIZE, 1);
        assertThat(asked(3000)).containsExactly(2048, 952, 1);
        assertThat(asked(100_000)).containsExactly(2048, 8192, 32768, 56992, 1);
        assertThat(asked(0)).containsExactly(1);
    }

    /** Relays an answer of a declared length; returns the length each read asked for. */
    private static List<Integer> asked(int length) throws IOException {
        byte[] answer = randomBytes(length);
        List<Integer> asked = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(answer) {
            @Override
            public synchronized int read(byte[] into, int offset, int wanted) {
                asked.add(wanted);
                return super.read(into, offset, wanted);
            }
        };
        RelayBuffer buffer = new RelayBuffer(length);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();

        int read;
        while ((read = buffer.read(in)) >= 0) {
            buffer.writeTo(copy, read);
        }

        assertThat(copy.toByteArray()).isEqualTo(answer);
        return asked;
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
