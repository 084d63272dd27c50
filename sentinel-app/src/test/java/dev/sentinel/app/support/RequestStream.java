package dev.sentinel.app.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A steady stream of requests, one virtual thread per lane, each lane sending its request
 * over and over with a short pause. Every answer is tallied by lane, by the phase the test
 * was in when the request was sent, and by status (or {@code error} when no answer came), so
 * a test can take a store away mid-stream and then check every answer of every phase.
 */
public final class RequestStream implements AutoCloseable {

    /** The most requests one lane sends, so that no loop can run away. */
    private static final int MAX_REQUESTS_PER_LANE = 20_000;

    /**
     * One kind of request.
     *
     * @param name names the lane in tallies
     * @param phases the phases it sends in; empty for every phase
     * @param send sends one request and returns the answer
     */
    public record Lane(String name, Set<String> phases,
            Supplier<LoopbackClient.Response> send) {
    }

    private final Map<String, AtomicLong> tallies = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> sending = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Duration pause;
    private volatile String phase;
    private volatile boolean stopped;

    private RequestStream(String firstPhase, Duration pause) {
        this.phase = firstPhase;
        this.pause = pause;
    }

    /**
     * Starts sending.
     *
     * @param firstPhase the phase the test is in now
     * @param pause the pause after each request of a lane
     * @param lanes the requests to send
     */
    public static RequestStream start(String firstPhase, Duration pause, List<Lane> lanes) {
        RequestStream stream = new RequestStream(firstPhase, pause);
        for (Lane lane : lanes) {
            stream.sending.put(lane.name(), new AtomicBoolean());
            stream.threads.add(Thread.ofVirtual().name("stream-" + lane.name())
                    .start(() -> stream.run(lane)));
        }
        return stream;
    }

    /** Moves to another phase; requests sent from now on are tallied under it. */
    public void phase(String next) {
        phase = next;
    }

    /** Returns how many answers a lane got in a phase with a status (or "error"). */
    public long count(String lane, String inPhase, String status) {
        AtomicLong count = tallies.get(key(lane, inPhase, status));
        return count == null ? 0 : count.get();
    }

    /** Returns how many answers a lane got in a phase, whatever they were. */
    public long total(String lane, String inPhase) {
        String prefix = lane + "|" + inPhase + "|";
        return tallies.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    /** Returns every tally as {@code lane|phase|status=count}, for assertion messages. */
    public Map<String, Long> tallies() {
        Map<String, Long> copy = new TreeMap<>();
        tallies.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    /** Waits until a lane has at least {@code answers} answers in a phase. */
    public boolean awaitAnswers(String lane, String inPhase, long answers, Duration timeout) {
        return Eventually.within(timeout, () -> total(lane, inPhase) >= answers);
    }

    /**
     * Waits until none of these lanes has a request under way. Called after moving to a
     * phase they do not send in, it returns once their last request of the old phase was
     * answered.
     */
    public boolean awaitQuiet(Set<String> lanes, Duration timeout) {
        return Eventually.within(timeout, () -> lanes.stream()
                .noneMatch(lane -> sending.get(lane).get()));
    }

    /** Stops every lane and waits for its last request. */
    @Override
    public void close() {
        stopped = true;
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Lane lane) {
        AtomicBoolean busy = sending.get(lane.name());
        for (int i = 0; i < MAX_REQUESTS_PER_LANE && !stopped; i++) {
            // Busy before the phase is read, so that awaitQuiet cannot miss a request.
            busy.set(true);
            String sentIn = phase;
            if (!lane.phases().isEmpty() && !lane.phases().contains(sentIn)) {
                busy.set(false);
                sleep(Duration.ofMillis(5));
                continue;
            }
            String status;
            try {
                status = Integer.toString(lane.send().get().status());
            } catch (RuntimeException e) {
                status = "error";
            }
            tallies.computeIfAbsent(key(lane.name(), sentIn, status), k -> new AtomicLong())
                    .incrementAndGet();
            busy.set(false);
            sleep(pause);
        }
    }

    private static String key(String lane, String inPhase, String status) {
        return lane + "|" + inPhase + "|" + status;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
