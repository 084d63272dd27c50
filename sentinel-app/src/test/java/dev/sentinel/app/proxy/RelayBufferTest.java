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

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
