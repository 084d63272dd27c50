package dev.sentinel.app.observe;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.guard.AccessAttempt;
import dev.sentinel.domain.guard.FailsafeMode;
import dev.sentinel.domain.port.GuardListener;
import java.util.List;
import java.util.function.Consumer;

/**
 * Passes each guard event to several listeners in order (logs, then metrics). One that
 * throws, against its contract, does not keep the event from the others.
 *
 * <p>Thread-safe when its listeners are.
 */
public final class CompositeGuardListener implements GuardListener {

    private final List<GuardListener> listeners;

    private CompositeGuardListener(List<GuardListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * Combines listeners.
     *
     * @param listeners the listeners, called in this order
     * @return one listener telling them all
     */
    public static GuardListener of(GuardListener... listeners) {
        return new CompositeGuardListener(List.of(listeners));
    }

    @Override
    public void allowed(AccessAttempt attempt, Binding binding) {
        each(listener -> listener.allowed(attempt, binding));
    }

    @Override
    public void bound(AccessAttempt attempt, Binding binding) {
        each(listener -> listener.bound(attempt, binding));
    }

    @Override
    public void passedUnbound(AccessAttempt attempt) {
        each(listener -> listener.passedUnbound(attempt));
    }

    @Override
    public void intercepted(AccessAttempt attempt, Binding binding, InterceptReason reason) {
        each(listener -> listener.intercepted(attempt, binding, reason));
    }

    @Override
    public void refused(AccessAttempt attempt, RefusalCode code) {
        each(listener -> listener.refused(attempt, code));
    }

    @Override
    public void failsafe(AccessAttempt attempt, FailsafeMode mode, RuntimeException cause) {
        each(listener -> listener.failsafe(attempt, mode, cause));
    }

    @Override
    public void staleEntryUsed(AccessAttempt attempt) {
        each(listener -> listener.staleEntryUsed(attempt));
    }

    @Override
    public void firstUseUndone(Binding binding, String why) {
        each(listener -> listener.firstUseUndone(binding, why));
    }

    @Override
    public void undoFailed(Binding binding, RuntimeException cause) {
        each(listener -> listener.undoFailed(binding, cause));
    }

    private void each(Consumer<GuardListener> event) {
        for (GuardListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                // A broken listener must not cost the request or the other listeners.
            }
        }
    }
}
