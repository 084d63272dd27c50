package dev.sentinel.adapters.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.adapters.Eventually;
import dev.sentinel.adapters.RecordingStateListener;
import dev.sentinel.adapters.StoreState;
import dev.sentinel.adapters.StoreStateListener;
import dev.sentinel.domain.StoreUnavailableException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreCircuitTest {

    private final AtomicBoolean storeAnswers = new AtomicBoolean(true);
    private final AtomicInteger probes = new AtomicInteger();
    private final RecordingStateListener listener = new RecordingStateListener();
    private final StoreCircuit circuit = StoreCircuit.create("teststore", this::probe,
            failure -> failure instanceof UncheckedIOException, listener,
            Duration.ofMillis(10));

    @AfterEach
    void closeCircuit() {
        circuit.close();
    }

    @Test
    void callsGoThroughWhileTheStoreIsUp() {
        assertThat(circuit.call("read", () -> 42)).isEqualTo(42);
        assertThat(circuit.state()).isEqualTo(StoreState.UP);
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void anUnreachableStoreIsMarkedDownAndReportedOnce() {
        storeAnswers.set(false);

        assertThatThrownBy(() -> circuit.call("read", this::unreachable))
                .isInstanceOf(StoreOutageException.class)
                .hasMessageContaining("teststore is unreachable: could not read")
                .hasRootCauseInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> circuit.call("read", this::unreachable))
                .isInstanceOf(StoreUnavailableException.class);
        circuit.markDown(new IllegalStateException("again"));

        assertThat(circuit.state()).isEqualTo(StoreState.DOWN);
        assertThat(listener.events()).containsExactly("down:teststore");
    }

    @Test
    void whileDownCallsFailAtOnceWithoutReachingTheStore() {
        storeAnswers.set(false);
        circuit.markDown(new IllegalStateException("gone"));
        AtomicInteger reached = new AtomicInteger();

        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> circuit.call("read", reached::incrementAndGet))
                    .isInstanceOf(StoreOutageException.class)
                    .hasMessageContaining("teststore is down");
        }

        assertThat(reached).hasValue(0);
    }

    @Test
    void aProbeThatAnswersMarksTheStoreUpAndReportsItOnce() throws InterruptedException {
        storeAnswers.set(false);
        circuit.markDown(new IllegalStateException("gone"));
        assertThat(Eventually.within(Duration.ofSeconds(5), () -> probes.get() >= 3)).isTrue();
        assertThat(circuit.state()).isEqualTo(StoreState.DOWN);

        storeAnswers.set(true);

        assertThat(circuit.awaitUp(Duration.ofSeconds(5))).isTrue();
        assertThat(circuit.call("read", () -> "fine")).isEqualTo("fine");
        assertThat(listener.events()).containsExactly("down:teststore", "up:teststore");
    }

    @Test
    void everyOutageIsReportedInOrder() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            circuit.markDown(new IllegalStateException("gone"));
            assertThat(circuit.awaitUp(Duration.ofSeconds(5))).isTrue();
        }

        assertThat(listener.events()).containsExactlyElementsOf(List.of(
                "down:teststore", "up:teststore",
                "down:teststore", "up:teststore",
                "down:teststore", "up:teststore"));
    }

    @Test
    void aFailedCallThatIsNoOutageLeavesTheStoreUp() {
        assertThatThrownBy(() -> circuit.call("write", () -> {
            throw new IllegalArgumentException("constraint violated");
        }))
                .isInstanceOf(StoreUnavailableException.class)
                .isNotInstanceOf(StoreOutageException.class)
                .hasMessageContaining("teststore could not write: "
                        + "IllegalArgumentException: constraint violated");

        assertThat(circuit.state()).isEqualTo(StoreState.UP);
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void aListenerThatThrowsDoesNotHideTheState() {
        StoreCircuit noisy = StoreCircuit.create("noisy", () -> { }, failure -> true,
                new StoreStateListener() {
                    @Override
                    public void storeDown(String store, Throwable cause) {
                        throw new IllegalStateException("listener bug");
                    }

                    @Override
                    public void storeUp(String store) {
                    }
                }, Duration.ofMillis(10));
        try {
            noisy.markDown(new IllegalStateException("gone"));

            assertThat(noisy.state()).isEqualTo(StoreState.DOWN);
        } finally {
            noisy.close();
        }
    }

    @Test
    void aLateReplyWithinTheGraceFailsOnlyItsCall() {
        StoreCircuit tolerant = StoreCircuit.create("tolerant", this::probe,
                failure -> failure instanceof UncheckedIOException,
                new StoreCircuit.SlowReplies(failure -> failure.getCause()
                        instanceof SocketTimeoutException, Duration.ofHours(1)),
                () -> true, listener, Duration.ofMillis(10));
        try {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> tolerant.call("read", this::late))
                        .isInstanceOf(StoreUnavailableException.class)
                        .isNotInstanceOf(StoreOutageException.class)
                        .hasMessageContaining("tolerant answered too late");
            }
            assertThat(tolerant.state()).isEqualTo(StoreState.UP);

            assertThatThrownBy(() -> tolerant.call("read", this::unreachable))
                    .isInstanceOf(StoreOutageException.class);
            assertThat(tolerant.state()).isEqualTo(StoreState.DOWN);
            assertThat(listener.events()).containsExactly("down:tolerant");
        } finally {
            tolerant.close();
        }
    }

    @Test
    void aStoreThatMayNotResumeStaysDownThoughItsProbeAnswers() throws InterruptedException {
        AtomicBoolean repaired = new AtomicBoolean(false);
        StoreCircuit gated = StoreCircuit.create("gated", this::probe, failure -> true,
                StoreCircuit.SlowReplies.NONE, repaired::get, listener, Duration.ofMillis(10));
        try {
            gated.markDown(new IllegalStateException("gone"));
            AtomicBoolean noted = new AtomicBoolean();
            assertThat(gated.whileDown(() -> noted.set(true))).isTrue();
            assertThat(noted).isTrue();
            assertThat(Eventually.within(Duration.ofSeconds(5), () -> probes.get() >= 3))
                    .isTrue();
            assertThat(gated.state()).isEqualTo(StoreState.DOWN);

            repaired.set(true);

            assertThat(gated.awaitUp(Duration.ofSeconds(5))).isTrue();
            assertThat(gated.whileDown(() -> noted.set(false))).isFalse();
            assertThat(noted).isTrue();
            assertThat(listener.events()).containsExactly("down:gated", "up:gated");
        } finally {
            gated.close();
        }
    }

    private void probe() throws ConnectException {
        probes.incrementAndGet();
        if (!storeAnswers.get()) {
            throw new ConnectException("Connection refused");
        }
    }

    private Integer unreachable() {
        throw new UncheckedIOException(new ConnectException("Connection refused"));
    }

    private Integer late() {
        throw new UncheckedIOException(new SocketTimeoutException("Read timed out"));
    }
}
