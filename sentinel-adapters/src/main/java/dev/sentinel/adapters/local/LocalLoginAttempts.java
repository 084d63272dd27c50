package dev.sentinel.adapters.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginPolicy;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Login attempts counted in this process: correct for a single Sentinel, and the fallback
 * of the Redis counter while Redis is unreachable.
 *
 * <p>Entries expire after the longer of window and lockout and are capped in number, so
 * guesses from many addresses cannot grow the map without bound.
 *
 * <p>Thread-safe: each address's state changes under the cache's per-key lock.
 */
final class LocalLoginAttempts implements LoginAttempts {

    static final long MAX_ADDRESSES = 100_000;

    private final LoginPolicy policy;
    private final InstantSource clock;
    private final Cache<String, State> states;

    LocalLoginAttempts(LoginPolicy policy, InstantSource clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        Duration keep = policy.window().compareTo(policy.lockout()) > 0
                ? policy.window() : policy.lockout();
        this.states = Caffeine.newBuilder()
                .expireAfterWrite(keep)
                .maximumSize(MAX_ADDRESSES)
                .build();
    }

    @Override
    public Admission admit(IpAddress client) {
        String subject = LoginAttempts.countedAs(client);
        long now = clock.millis();
        State next = states.asMap().compute(subject, (key, state) -> next(state, now));
        if (next.lockedUntil > now) {
            return new LockedOut(Duration.ofMillis(next.lockedUntil - now), next.justLocked);
        }
        return new Admitted();
    }

    @Override
    public void succeeded(IpAddress client) {
        states.invalidate(LoginAttempts.countedAs(client));
    }

    private State next(State state, long now) {
        // A locked address stays locked; its attempts are not counted further.
        if (state != null && state.lockedUntil > now) {
            return new State(state.windowStart, 0, state.lockedUntil, false);
        }
        boolean newWindow = state == null
                || now - state.windowStart >= policy.window().toMillis();
        long windowStart = newWindow ? now : state.windowStart;
        int count = (newWindow ? 0 : state.count) + 1;
        if (count > policy.maxAttempts()) {
            return new State(windowStart, 0, now + policy.lockout().toMillis(), true);
        }
        return new State(windowStart, count, 0, false);
    }

    private record State(long windowStart, int count, long lockedUntil, boolean justLocked) {
    }
}
