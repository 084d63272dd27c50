package dev.sentinel.adapters.local;

import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.port.BindQuota;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New bindings per network in a sliding minute, counted in this process. Each network's
 * window is changed only inside {@link ConcurrentHashMap#compute}, which makes every change
 * atomic; empty windows are removed so that the map does not grow with every network seen.
 *
 * <p>Thread-safe.
 */
final class LocalBindQuota implements BindQuota {

    /** How far back new bindings count. */
    static final long WINDOW_MILLIS = Duration.ofMinutes(1).toMillis();

    /** Tickets of this counter start with it, so a refund finds its way back. */
    static final String TICKET_PREFIX = "local:";

    private final InstantSource clock;
    private final ConcurrentHashMap<Cidr, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong tickets = new AtomicLong();
    private final AtomicLong nextSweep = new AtomicLong();

    LocalBindQuota(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public Grant acquire(Cidr network, int perMinute) {
        Objects.requireNonNull(network, "network");
        if (perMinute < 1) {
            throw new IllegalArgumentException("new bindings per minute " + perMinute
                    + " is not positive: an unlimited allowance takes no grant");
        }
        long now = clock.millis();
        sweepIfDue(now);
        String ticket = TICKET_PREFIX + tickets.incrementAndGet();
        Grant[] outcome = new Grant[1];
        windows.compute(network, (key, current) -> {
            Window window = current == null ? new Window() : current;
            window.trim(now);
            if (window.size() < perMinute) {
                window.add(now, ticket);
                outcome[0] = new Granted(network, ticket);
            } else {
                long wait = window.oldest() + WINDOW_MILLIS - now;
                outcome[0] = new Exhausted(Duration.ofMillis(Math.max(1, wait)));
            }
            return window.isEmpty() ? null : window;
        });
        return outcome[0];
    }

    @Override
    public void refund(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        if (!(grant instanceof Granted granted)
                || !granted.ticket().startsWith(TICKET_PREFIX)) {
            return;
        }
        windows.computeIfPresent(granted.network(), (key, window) -> {
            window.remove(granted.ticket());
            return window.isEmpty() ? null : window;
        });
    }

    /** Once per window, drops windows of networks that have not bound anything since. */
    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + WINDOW_MILLIS)) {
            return;
        }
        for (Cidr network : windows.keySet()) {
            windows.computeIfPresent(network, (key, window) -> {
                window.trim(now);
                return window.isEmpty() ? null : window;
            });
        }
    }

    /** One network's grants, oldest first. Guarded by the map's per-key lock. */
    private static final class Window {

        private final ArrayDeque<Entry> entries = new ArrayDeque<>();

        void trim(long now) {
            while (!entries.isEmpty() && entries.peekFirst().at() <= now - WINDOW_MILLIS) {
                entries.pollFirst();
            }
        }

        void add(long at, String ticket) {
            entries.addLast(new Entry(at, ticket));
        }

        void remove(String ticket) {
            Iterator<Entry> iterator = entries.iterator();
            while (iterator.hasNext()) {
                if (iterator.next().ticket().equals(ticket)) {
                    iterator.remove();
                    return;
                }
            }
        }

        long oldest() {
            return entries.peekFirst().at();
        }

        int size() {
            return entries.size();
        }

        boolean isEmpty() {
            return entries.isEmpty();
        }
    }

    private record Entry(long at, String ticket) {
    }
}
