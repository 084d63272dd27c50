package dev.sentinel.domain.alert;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.InterceptCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A counter that several policies (replicas) can share, as they would share Redis. */
final class InMemoryInterceptCounter implements InterceptCounter {

    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final Map<String, Set<IpAddress>> addresses = new ConcurrentHashMap<>();
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    @Override
    public long add(TokenHash tokenHash, IpAddress clientIp, AlertWindow window) {
        String key = key(tokenHash, window);
        addresses.computeIfAbsent(key, k -> Collections.synchronizedSet(
                new LinkedHashSet<>())).add(clientIp);
        return counts.merge(key, 1L, Long::sum);
    }

    @Override
    public boolean claim(TokenHash tokenHash, AlertWindow window) {
        return claimed.add(key(tokenHash, window));
    }

    @Override
    public List<IpAddress> addresses(TokenHash tokenHash, AlertWindow window) {
        Set<IpAddress> seen = addresses.get(key(tokenHash, window));
        if (seen == null) {
            return List.of();
        }
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    private static String key(TokenHash tokenHash, AlertWindow window) {
        return tokenHash.hex() + ":" + window.length().toMillis() + ":"
                + window.start().toEpochMilli();
    }
}
