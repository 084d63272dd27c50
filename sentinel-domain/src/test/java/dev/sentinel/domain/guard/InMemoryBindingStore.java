package dev.sentinel.domain.guard;

import dev.sentinel.domain.StoreUnavailableException;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.port.BindingStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The binding store as a map, with a switch that makes it unavailable and a hook that lets
 * another replica bind a key just before this one does.
 */
final class InMemoryBindingStore implements BindingStore {

    private final Map<TokenHash, Binding> rows = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger inserts = new AtomicInteger();
    final AtomicInteger bindCalls = new AtomicInteger();
    private volatile boolean down;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean insertsFail;
    private volatile Binding racer;

    void goDown() {
        down = true;
    }

    void comeBack() {
        down = false;
    }

    /** Every later read waits, after it is counted, until the returned latch is opened. */
    CountDownLatch holdReads() {
        CountDownLatch held = new CountDownLatch(1);
        gate = held;
        return held;
    }

    /** Opens the latch of the last {@link #holdReads}. */
    void releaseReads() {
        gate.countDown();
    }

    /** Reads keep working, but every insert times out. */
    void failInserts() {
        insertsFail = true;
    }

    /** Stores a binding as an admin or an earlier request would have; returns it with an id. */
    Binding save(Binding binding) {
        Binding stored = binding.withId(ids.incrementAndGet());
        rows.put(stored.tokenHash(), stored);
        return stored;
    }

    /** Replaces a row as it is, id and revision included, as an admin's edit would. */
    void overwrite(Binding binding) {
        rows.put(binding.tokenHash(), binding);
    }

    /** The next {@link #bindIfAbsent} finds this binding inserted a moment before. */
    void loseNextRaceTo(Binding winner) {
        racer = winner;
    }

    Optional<Binding> row(TokenHash tokenHash) {
        return Optional.ofNullable(rows.get(tokenHash));
    }

    int size() {
        return rows.size();
    }

    @Override
    public Optional<Binding> find(TokenHash tokenHash) {
        reads.incrementAndGet();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the in-memory read was interrupted", e);
        }
        // A held read fails if the store went down meanwhile, as a dropped connection would.
        failIfDown();
        return Optional.ofNullable(rows.get(tokenHash));
    }

    @Override
    public FirstUse bindIfAbsent(Binding candidate) {
        bindCalls.incrementAndGet();
        failIfDown();
        if (insertsFail) {
            throw new StoreUnavailableException("the in-memory insert timed out", null);
        }
        Binding winner = racer;
        if (winner != null) {
            racer = null;
            save(winner);
        }
        Binding created = candidate.withId(ids.incrementAndGet());
        Binding existing = rows.putIfAbsent(candidate.tokenHash(), created);
        if (existing != null) {
            return new FirstUse(existing, false);
        }
        inserts.incrementAndGet();
        return new FirstUse(created, true);
    }

    @Override
    public boolean undoFirstUse(Binding created) {
        failIfDown();
        Binding current = rows.get(created.tokenHash());
        if (current == null || current.id() != created.id() || current.revision() != 0) {
            return false;
        }
        return rows.remove(created.tokenHash(), current);
    }

    private void failIfDown() {
        if (down) {
            throw new StoreUnavailableException("the in-memory store is switched off", null);
        }
    }
}
