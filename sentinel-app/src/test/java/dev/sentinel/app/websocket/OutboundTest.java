package dev.sentinel.app.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded queue in front of each side of a bridge. */
class OutboundTest {

    @Test
    void framesAreWrittenInTheOrderTheyWereOffered() throws Exception {
        BlockingQueue<Frame> written = new LinkedBlockingQueue<>();
        Outbound outbound = new Outbound("test", 16, 1 << 20, written::add, e -> { });
        outbound.start();

        List<Frame> frames = List.of(Frame.Text.of("a", false), new Frame.Ping(new byte[] {1}),
                Frame.Text.of("b", true), new Frame.Binary(new byte[] {2}, true),
                new Frame.Close(1000, "bye"));
        for (Frame frame : frames.subList(0, 4)) {
            assertThat(outbound.offer(frame)).isTrue();
        }
        outbound.offerClose((Frame.Close) frames.get(4));

        for (Frame expected : frames) {
            assertThat(written.poll(10, TimeUnit.SECONDS)).isSameAs(expected);
        }
        outbound.stop();
    }

    @Test
    void aReaderThatDoesNotTakeFramesFillsTheQueueByCount() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        Outbound outbound = new Outbound("test", 3, 1 << 20, frame -> {
            writing.countDown();
            release.await();
        }, e -> { });
        outbound.start();

        assertThat(outbound.offer(Frame.Text.of("in flight", true))).isTrue();
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(outbound.offer(Frame.Text.of("queued 1", true))).isTrue();
        assertThat(outbound.offer(Frame.Text.of("queued 2", true))).isTrue();

        assertThat(outbound.offer(Frame.Text.of("one too many", true))).isFalse();
        release.countDown();
        outbound.stop();
    }

    @Test
    void aReaderThatDoesNotTakeFramesFillsTheQueueByBytes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Outbound outbound = new Outbound("test", 1000, 100, frame -> release.await(),
                e -> { });
        outbound.start();

        // A frame larger than the bound still passes an empty queue: it must go somewhere.
        assertThat(outbound.offer(new Frame.Binary(new byte[150], true))).isTrue();
        assertThat(outbound.offer(new Frame.Binary(new byte[1], true))).isFalse();
        assertThat(outbound.queuedBytes()).isEqualTo(150);
        release.countDown();
        outbound.stop();
    }

    @Test
    void aCloseIsQueuedWhateverTheBoundsSay() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Frame> written = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        Outbound outbound = new Outbound("test", 1, 10, frame -> {
            release.await();
            written.add(frame);
            if (frame instanceof Frame.Close) {
                closed.countDown();
            }
        }, e -> { });
        outbound.start();
        assertThat(outbound.offer(new Frame.Binary(new byte[10], true))).isTrue();
        assertThat(outbound.offer(new Frame.Binary(new byte[1], true))).isFalse();

        outbound.offerClose(new Frame.Close(1001, "going"));
        release.countDown();

        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(written).hasSize(2).last().isInstanceOf(Frame.Close.class);
        outbound.stop();
    }

    @Test
    void abortFreesAWriterBlockedInAWrite() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch freed = new CountDownLatch(1);
        Outbound outbound = new Outbound("test", 16, 1 << 20, frame -> {
            writing.countDown();
            new CountDownLatch(1).await();
        }, e -> freed.countDown());
        outbound.start();
        outbound.offer(Frame.Text.of("stuck", true));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        outbound.abort();

        assertThat(freed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(outbound.queuedBytes()).isZero();
    }

    @Test
    void aFailingSideStopsTheQueueAndIsReportedOnce() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        Outbound outbound = new Outbound("test", 16, 1 << 20, frame -> {
            throw new IOException("broken pipe");
        }, e -> {
            failures.incrementAndGet();
            failed.countDown();
        });
        outbound.start();

        outbound.offer(Frame.Text.of("one", true));
        outbound.offer(Frame.Text.of("two", true));

        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        // Stopped: later frames are dropped quietly, never written.
        assertThat(outbound.offer(Frame.Text.of("three", true))).isTrue();
        assertThat(outbound.queuedBytes()).isZero();
        assertThat(failures).hasValue(1);
    }
}
