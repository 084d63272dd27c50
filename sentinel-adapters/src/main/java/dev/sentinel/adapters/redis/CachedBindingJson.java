package dev.sentinel.adapters.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.BindingStatus;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.BindingCache;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON form of a cached binding in Redis. Every replica reads what every other writes,
 * so the form carries a version; an entry of another version, or one that does not parse,
 * is a miss.
 *
 * <p>Thread-safe: the mapper is configured once and only used afterwards.
 */
final class CachedBindingJson {

    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private CachedBindingJson() {
    }

    static String encode(BindingCache.Cached cached) {
        Binding binding = cached.binding();
        Entry entry = new Entry(VERSION, binding.id(), binding.tokenHash().hex(), binding.hint(),
                binding.rules().stream().map(Cidr::toString).toList(),
                binding.status().name().toLowerCase(Locale.ROOT), binding.rulesSetByAdmin(),
                binding.boundAt().toString(), binding.lastSeenAt().toString(),
                binding.lastIp().map(IpAddress::toString).orElse(null),
                binding.note(), binding.revision(),
                cached.cachedAt().toString());
        try {
            return MAPPER.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cached binding always has a JSON form", e);
        }
    }

    /** Returns the entry, or empty when the text is no entry of this version. */
    static Optional<BindingCache.Cached> decode(String json) {
        try {
            Entry entry = MAPPER.readValue(json, Entry.class);
            if (entry.v() != VERSION) {
                return Optional.empty();
            }
            Binding binding = new Binding(entry.id(), new TokenHash(entry.tokenHash()),
                    entry.hint(), entry.rules().stream().map(Cidr::parse).toList(),
                    BindingStatus.valueOf(entry.status().toUpperCase(Locale.ROOT)),
                    entry.rulesSetByAdmin(), Instant.parse(entry.boundAt()),
                    Instant.parse(entry.lastSeenAt()),
                    Optional.ofNullable(entry.lastIp()).map(IpAddress::of),
                    entry.note(), entry.revision());
            return Optional.of(new BindingCache.Cached(binding, Instant.parse(entry.cachedAt())));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The stored fields; instants as ISO-8601 text. */
    record Entry(
            int v,
            long id,
            String tokenHash,
            String hint,
            List<String> rules,
            String status,
            boolean rulesSetByAdmin,
            String boundAt,
            String lastSeenAt,
            String lastIp,
            String note,
            long revision,
            String cachedAt) {
    }
}
