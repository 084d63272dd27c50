package dev.sentinel.domain.bench;

import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.CredentialExtraction;
import dev.sentinel.domain.credential.CredentialExtractor;
import dev.sentinel.domain.credential.RequestView;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.guard.AccessAttempt;
import dev.sentinel.domain.guard.BindingGuard;
import dev.sentinel.domain.guard.GuardSettings;
import dev.sentinel.domain.guard.Verdict;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindQuota;
import dev.sentinel.domain.port.BindingCache;
import dev.sentinel.domain.port.BindingStore;
import dev.sentinel.domain.port.GuardListener;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The domain's part of a warm request, without I/O: find the key in the request,
 * canonicalise it, hash it, and decide with the binding in the cache. The stores behind
 * the ports are maps, as the per-process cache is in Sentinel. Compiled by the build, run
 * only on demand ({@code bench/jmh.sh}); with {@code -prof gc} JMH reports the bytes
 * allocated per decision.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseG1GC", "-Xmx512m"})
public class HotPathBenchmark {

    private static final String KEY = "sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";

    private final CredentialExtractor extractor = new CredentialExtractor();
    private TokenHasher hasher;
    private BindingGuard guard;
    private RequestView request;
    private IpAddress client;
    private TokenHash boundHash;

    @Setup
    public void setUp() {
        hasher = new TokenHasher("a-benchmark-secret-of-at-least-32-characters");
        client = IpAddress.of("203.0.113.7");
        request = new Request(Map.of(
                "authorization", List.of("Bearer " + KEY),
                "content-type", List.of("application/json"),
                "user-agent", List.of("OpenAI/Python 1.54.0")));

        CredentialExtraction.Found found = (CredentialExtraction.Found) extractor.extract(request);
        boundHash = hasher.identify(found.key());
        Instant now = Instant.now();
        Binding binding = Binding.firstUse(boundHash, found.key().hint(),
                new Cidr(client, 32), client, now);
        MapCache cache = new MapCache(Clock.systemUTC());
        cache.put(binding);
        Map<TokenHash, Instant> lastSeen = new ConcurrentHashMap<>();
        guard = BindingGuard.builder()
                .store(new UnusedStore())
                .cache(cache)
                .interceptLog(intercept -> {
                })
                .quota(new UnusedQuota())
                .lastSeen((hash, ip, at) -> lastSeen.put(hash, at))
                .clock(Clock.systemUTC())
                .settings(() -> GuardSettings.DEFAULT)
                .listener(GuardListener.NONE)
                .build();
    }

    /** Extract, canonicalise, hash, decide: the whole domain cost of a warm request. */
    @Benchmark
    public Verdict decideCachedKey() {
        CredentialExtraction.Found found = (CredentialExtraction.Found) extractor.extract(request);
        TokenHash hash = hasher.identify(found.key());
        return guard.check(new AccessAttempt(hash, found.key().hint(), client, "POST",
                "/v1/chat/completions", "OpenAI/Python 1.54.0"));
    }

    /** Only the key's identity: extraction, canonical form and HMAC. */
    @Benchmark
    public TokenHash extractAndHash() {
        CredentialExtraction.Found found = (CredentialExtraction.Found) extractor.extract(request);
        return hasher.identify(found.key());
    }

    /** Only the decision, for a key already hashed. */
    @Benchmark
    public Verdict decideOnly() {
        return guard.check(new AccessAttempt(boundHash, "sk-Ab…4z", client, "POST",
                "/v1/chat/completions", "OpenAI/Python 1.54.0"));
    }

    /** Headers by lower-case name; names match ignoring case, as in HTTP. */
    private record Request(Map<String, List<String>> headers) implements RequestView {

        @Override
        public List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        @Override
        public List<String> queryValues(String name) {
            return List.of();
        }
    }

    private static final class MapCache implements BindingCache {
        private final Map<TokenHash, Cached> entries = new ConcurrentHashMap<>();
        private final Clock clock;

        MapCache(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Optional<Cached> get(TokenHash tokenHash) {
            return Optional.ofNullable(entries.get(tokenHash));
        }

        @Override
        public void put(Binding binding) {
            entries.put(binding.tokenHash(), new Cached(binding, clock.instant()));
        }

        @Override
        public void evict(TokenHash tokenHash) {
            entries.remove(tokenHash);
        }
    }

    /** The warm path never reaches the store; reaching it is a broken benchmark. */
    private static final class UnusedStore implements BindingStore {
        @Override
        public Optional<Binding> find(TokenHash tokenHash) {
            throw new IllegalStateException("a cached key reached the store");
        }

        @Override
        public FirstUse bindIfAbsent(Binding candidate) {
            throw new IllegalStateException("a cached key reached the store");
        }

        @Override
        public boolean undoFirstUse(Binding created) {
            throw new IllegalStateException("a cached key reached the store");
        }
    }

    private static final class UnusedQuota implements BindQuota {
        @Override
        public Grant acquire(Cidr network, int perMinute) {
            throw new IllegalStateException("a cached key took a bind allowance");
        }

        @Override
        public void refund(Grant grant) {
            throw new IllegalStateException("a cached key took a bind allowance");
        }
    }
}
