package dev.sentinel.app.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final LogThrottle throttle = new LogThrottle(5, now::get);

    @Test
    void aFloodOfOneKeyLogsFiveLinesAMinuteAndOneSummary() {
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            logged += throttle.admit("key=sk-ab…wxyz") ? 1 : 0;
        }

        assertThat(logged).isEqualTo(5);
        assertThat(throttle.endedSummaries()).isEmpty();

        now.addAndGet(61 * SECOND);
        assertThat(throttle.endedSummaries()).containsExactly(Map.entry("key=sk-ab…wxyz", 995L));
        assertThat(throttle.admit("key=sk-ab…wxyz")).as("a new minute logs again").isTrue();
    }

    @Test
    void keysAreThrottledApart() {
        for (int i = 0; i < 10; i++) {
            throttle.admit("key=a");
        }

        assertThat(throttle.admit("key=b")).isTrue();
    }

    @Test
    void summariesComeAtMostOnceAMinute() {
        for (int i = 0; i < 10; i++) {
            throttle.admit("key=a");
        }
        now.addAndGet(61 * SECOND);

        assertThat(throttle.endedSummaries()).hasSize(1);
        assertThat(throttle.endedSummaries()).isEmpty();
    }
}
