package dev.sentinel.domain.guard;

import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.port.BindQuota;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts grants per network without a window: tests decide when the minute is over. */
final class InMemoryBindQuota implements BindQuota {

    static final Duration RETRY_AFTER = Duration.ofSeconds(17);

    private final Map<Cidr, AtomicInteger> taken = new ConcurrentHashMap<>();
    private final AtomicInteger tickets = new AtomicInteger();
    final List<Granted> refunds = new CopyOnWriteArrayList<>();
    final AtomicInteger acquisitions = new AtomicInteger();

    int taken(Cidr network) {
        AtomicInteger count = taken.get(network);
        return count == null ? 0 : count.get();
    }

    @Override
    public Grant acquire(Cidr network, int perMinute) {
        acquisitions.incrementAndGet();
        AtomicInteger count = taken.computeIfAbsent(network, n -> new AtomicInteger());
        while (true) {
            int current = count.get();
            if (current >= perMinute) {
                return new Exhausted(RETRY_AFTER);
            }
            if (count.compareAndSet(current, current + 1)) {
                return new Granted(network, "ticket-" + tickets.incrementAndGet());
            }
        }
    }

    @Override
    public void refund(Grant grant) {
        Granted granted = (Granted) grant;
        refunds.add(granted);
        taken.get(granted.network()).decrementAndGet();
    }
}
