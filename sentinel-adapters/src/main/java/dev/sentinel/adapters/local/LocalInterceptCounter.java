package dev.sentinel.adapters.local;

import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.InterceptCounter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Intercepts per key and alert window, counted in this process. Windows that ended before
 * the previous one are forgotten once a newer window shows up, so the map holds about two
 * windows' worth of keys.
 *
 * <p>Thread-safe.
 */
final class LocalInterceptCounter implements InterceptCounter {

    /** Addresses kept per key and window, for the alert. */
    static final int MAX_ADDRESSES = 20;

    private final ConcurrentHashMap<Slot, Tally> tallies = new ConcurrentHashMap<>();
    private final AtomicLong newestStart = new AtomicLong(Long.MIN_VALUE);

    @Override
    public long add(TokenHash tokenHash, IpAddress clientIp, AlertWindow window) {
        Objects.requireNonNull(clientIp, "clientIp");
        forgetEndedWindows(window);
        Tally tally = tally(tokenHash, window);
        tally.remember(clientIp);
        return tally.count.incrementAndGet();
    }

    @Override
    public boolean claim(TokenHash tokenHash, AlertWindow window) {
        return tally(tokenHash, window).claimed.compareAndSet(false, true);
    }

    @Override
    public List<IpAddress> addresses(TokenHash tokenHash, AlertWindow window) {
        Tally tally = tallies.get(slot(tokenHash, window));
        return tally == null ? List.of() : tally.addresses();
    }

    /** Returns how many key-windows are held, for tests. */
    int size() {
        return tallies.size();
    }

    private Tally tally(TokenHash tokenHash, AlertWindow window) {
        return tallies.computeIfAbsent(slot(tokenHash, window),
                slot -> new Tally(window.end().toEpochMilli()));
    }

    private static Slot slot(TokenHash tokenHash, AlertWindow window) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(window, "window");
        return new Slot(tokenHash, window.length().toMillis(), window.start().toEpochMilli());
    }

    private void forgetEndedWindows(AlertWindow window) {
        long start = window.start().toEpochMilli();
        long newest = newestStart.get();
        if (start <= newest || !newestStart.compareAndSet(newest, start)) {
            return;
        }
        // The previous window ends where this one starts; anything older is done with.
        long previousStart = start - window.length().toMillis();
        tallies.values().removeIf(tally -> tally.endMillis <= previousStart);
    }

    private record Slot(TokenHash tokenHash, long lengthMillis, long startMillis) {
    }

    /** One key's window. */
    private static final class Tally {
        final long endMillis;
        final AtomicLong count = new AtomicLong();
        final AtomicBoolean claimed = new AtomicBoolean();
        private final Set<IpAddress> seen = new LinkedHashSet<>();

        Tally(long endMillis) {
            this.endMillis = endMillis;
        }

        synchronized void remember(IpAddress address) {
            if (seen.size() < MAX_ADDRESSES) {
                seen.add(address);
            }
        }

        synchronized List<IpAddress> addresses() {
            return new ArrayList<>(seen);
        }
    }
}
