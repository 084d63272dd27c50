package dev.sentinel.domain.guard;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import dev.sentinel.domain.port.GuardListener;
import dev.sentinel.domain.port.InterceptLog;
import dev.sentinel.domain.port.LastSeenRecorder;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The write-only ports as lists, and a clock the test moves. */
final class Recorders {

    private Recorders() {
    }

    /** Keeps every intercept. */
    static final class InterceptRows implements InterceptLog {
        final List<Intercept> rows = new CopyOnWriteArrayList<>();

        @Override
        public void record(Intercept intercept) {
            rows.add(intercept);
        }
    }

    /** One allowed use. */
    record Seen(TokenHash tokenHash, IpAddress clientIp, Instant at) {
    }

    /** Keeps every allowed use. */
    static final class LastSeen implements LastSeenRecorder {
        final List<Seen> uses = new CopyOnWriteArrayList<>();

        @Override
        public void allowed(TokenHash tokenHash, IpAddress clientIp, Instant at) {
            uses.add(new Seen(tokenHash, clientIp, at));
        }
    }

    /** Writes each event as a short line, in order. */
    static final class Events implements GuardListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<RuntimeException> failures = new CopyOnWriteArrayList<>();

        @Override
        public void allowed(AccessAttempt attempt, Binding binding) {
            lines.add("allowed");
        }

        @Override
        public void bound(AccessAttempt attempt, Binding binding) {
            lines.add("bound " + binding.rules());
        }

        @Override
        public void passedUnbound(AccessAttempt attempt) {
            lines.add("passed unbound");
        }

        @Override
        public void intercepted(AccessAttempt attempt, Binding binding,
                InterceptReason reason) {
            lines.add("intercepted " + reason.code());
        }

        @Override
        public void refused(AccessAttempt attempt, RefusalCode code) {
            lines.add("refused " + code.code());
        }

        @Override
        public void failsafe(AccessAttempt attempt, FailsafeMode mode, RuntimeException cause) {
            lines.add("failsafe " + mode.value());
            failures.add(cause);
        }

        @Override
        public void staleEntryUsed(AccessAttempt attempt) {
            lines.add("stale entry used");
        }

        @Override
        public void firstUseUndone(Binding binding, String why) {
            lines.add("undone: " + why);
        }

        @Override
        public void undoFailed(Binding binding, RuntimeException cause) {
            lines.add("undo failed");
            failures.add(cause);
        }
    }

    /** A clock that stands still until moved. */
    static final class Clock implements InstantSource {
        private volatile Instant now;

        Clock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
