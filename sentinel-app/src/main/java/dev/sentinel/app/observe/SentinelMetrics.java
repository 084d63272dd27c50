package dev.sentinel.app.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One Sentinel's meters, in a registry of its own (two instances in one JVM, as in tests,
 * never share counts), scraped in Prometheus text format. The listeners in this package
 * feed it; nothing in the request policies knows it exists.
 *
 * <p>Thread-safe.
 */
public final class SentinelMetrics {

    /** The content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String REQUESTS = "sentinel.requests";
    private static final String REQUESTS_DESCRIPTION = "Keyed requests by outcome";

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    // Every keyed request counts here: looked up without building a key string.
    private final Map<String, Counter> requests;
    private final Timer downstreamLatency;

    /** Creates the registry and the meters every Sentinel has. */
    public SentinelMetrics() {
        Map<String, Counter> byOutcome = new HashMap<>();
        for (String outcome : new String[] {"allowed", "bound", "passed_unbound",
                "intercepted", "refused", "failsafe_open", "failsafe_closed"}) {
            byOutcome.put(outcome, counter(REQUESTS, REQUESTS_DESCRIPTION, "outcome", outcome));
        }
        requests = Map.copyOf(byOutcome);
        downstreamLatency = Timer.builder("sentinel.downstream.latency")
                .description("Time from sending a request to New API to its status line")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    /** Returns the registry, for meters of other components. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Returns every meter in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** Counts one keyed request by what became of it. */
    void request(String outcome) {
        Counter known = requests.get(outcome);
        if (known != null) {
            known.increment();
            return;
        }
        event(REQUESTS, REQUESTS_DESCRIPTION, "outcome", outcome);
    }

    /** Counts one request answered with an error code by Sentinel itself. */
    void refusal(String code) {
        event("sentinel.refusals", "Requests Sentinel answered with an error, by code",
                "code", code);
    }

    /** Counts one event. */
    void event(String name, String description, String... tags) {
        counter(name, description, tags).increment();
    }

    /** Records one downstream answer's latency. */
    void downstreamAnswered(long nanos) {
        downstreamLatency.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Registers a gauge read on every scrape.
     *
     * @param name the meter name, dotted
     * @param description what it shows
     * @param tag a tag name, or {@code null}
     * @param value the tag's value
     * @param reading where the value comes from
     */
    public void gauge(String name, String description, String tag, String value,
            Supplier<Number> reading) {
        Objects.requireNonNull(reading, "reading");
        Gauge.Builder<Supplier<Number>> builder = Gauge.builder(name, reading)
                .description(description);
        if (tag != null) {
            builder.tag(tag, value);
        }
        builder.register(registry);
    }

    /**
     * Registers a counter whose total another component keeps.
     *
     * @param name the meter name, dotted
     * @param description what it counts
     * @param source the object that keeps the total
     * @param total reads the total
     * @param <T> the source's type
     */
    public <T> void functionCounter(String name, String description, T source,
            ToDoubleFunction<T> total) {
        FunctionCounter.builder(name, source, total).description(description)
                .register(registry);
    }

    /**
     * Returns a counter, registering it (at 0) the first time.
     *
     * @param tags tag names and values, alternating
     */
    Counter counter(String name, String description, String... tags) {
        String key = name + "|" + String.join("|", tags);
        return counters.computeIfAbsent(key, unused -> Counter.builder(name)
                .description(description)
                .tags(tags)
                .register(registry));
    }
}
