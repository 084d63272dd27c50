package dev.sentinel.domain.guard;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.InterceptReason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What the guard decided for one keyed request. */
public sealed interface Verdict {

    /** Returns whether the request may be forwarded to New API. */
    boolean forwards();

    /**
     * The key is bound and the client is inside its networks.
     *
     * @param binding the binding that allowed it
     */
    record Allow(Binding binding) implements Verdict {
        @Override
        public boolean forwards() {
            return true;
        }
    }

    /**
     * The key's first use bound it to the client's network. The caller must report New API's
     * answer through {@link BindingGuard#settle}, so that a refused key leaves nothing behind.
     *
     * @param binding the binding this request created
     */
    record Bind(Binding binding) implements Verdict {
        @Override
        public boolean forwards() {
            return true;
        }
    }

    /** The key is unbound and the path is exempt: forwarded without creating a binding. */
    record PassUnbound() implements Verdict {
        @Override
        public boolean forwards() {
            return true;
        }
    }

    /** No store could decide and the failsafe mode is {@code open}: forwarded unchecked. */
    record FailsafeOpen() implements Verdict {
        @Override
        public boolean forwards() {
            return true;
        }
    }

    /**
     * The key is bound elsewhere or banned: answered with 403 and logged.
     *
     * @param reason why
     * @param binding the binding it broke
     */
    record Intercept(InterceptReason reason, Binding binding) implements Verdict {
        @Override
        public boolean forwards() {
            return false;
        }
    }

    /**
     * Refused before any binding decision.
     *
     * @param code the refusal, {@link RefusalCode#BIND_RATE_LIMITED} or
     *         {@link RefusalCode#FAILSAFE_CLOSED}
     * @param retryAfter when trying again may succeed, when known
     */
    record Refuse(RefusalCode code, Optional<Duration> retryAfter) implements Verdict {
        /** Checks that nothing is missing. */
        public Refuse {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public boolean forwards() {
            return false;
        }
    }
}
