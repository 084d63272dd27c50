package dev.sentinel.app.observe;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.Binding;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.guard.AccessAttempt;
import dev.sentinel.domain.guard.FailsafeMode;
import dev.sentinel.domain.port.GuardListener;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns the guard's decisions into one log line per event worth an operator's attention:
 * bindings created and undone, intercepts, failsafe decisions. Allowed requests are not
 * logged (they are counted). Keys appear only as hint and hash prefix. Intercepts of one key
 * and failsafe decisions are throttled to a few lines a minute plus a summary, so a leaked
 * key hammered from many addresses does not flood the log.
 *
 * <p>Thread-safe.
 */
public final class LoggingGuardListener implements GuardListener {

    private static final System.Logger LOG = System.getLogger("dev.sentinel.guard");
    private static final int LINES_PER_MINUTE = 5;
    private static final String FAILSAFE = "failsafe decisions";

    private final LogThrottle throttle;

    /** Creates the listener; it logs at most five lines per key (or failsafe) a minute. */
    public LoggingGuardListener() {
        this(System::nanoTime);
    }

    LoggingGuardListener(LongSupplier nanoTime) {
        this.throttle = new LogThrottle(LINES_PER_MINUTE, nanoTime);
    }

    @Override
    public void bound(AccessAttempt attempt, Binding binding) {
        LOG.log(Level.INFO, "key bound key={0} hash={1} network={2} ip={3}", attempt.hint(),
                attempt.tokenHash().prefix(12), binding.rules().get(0), attempt.clientIp());
    }

    @Override
    public void intercepted(AccessAttempt attempt, Binding binding, InterceptReason reason) {
        logSummaries();
        if (!throttle.admit(subject(attempt))) {
            return;
        }
        LOG.log(Level.WARNING, "key intercepted key={0} hash={1} ip={2} rules={3} reason={4} "
                        + "method={5} path={6}", attempt.hint(), attempt.tokenHash().prefix(12),
                attempt.clientIp(), binding.rules(), reason.code(), attempt.method(),
                LogText.escape(attempt.rawPath()));
    }

    @Override
    public void refused(AccessAttempt attempt, RefusalCode code) {
        logSummaries();
        if (!throttle.admit(subject(attempt) + " refused")) {
            return;
        }
        LOG.log(Level.INFO, "key refused key={0} hash={1} ip={2} code={3}", attempt.hint(),
                attempt.tokenHash().prefix(12), attempt.clientIp(), code.code());
    }

    @Override
    public void failsafe(AccessAttempt attempt, FailsafeMode mode, RuntimeException cause) {
        logSummaries();
        if (!throttle.admit(FAILSAFE)) {
            return;
        }
        LOG.log(Level.WARNING, "failsafe decision key={0} hash={1} ip={2} mode={3} cause={4}",
                attempt.hint(), attempt.tokenHash().prefix(12), attempt.clientIp(),
                mode.value(), LogText.escape(String.valueOf(cause.getMessage())));
    }

    @Override
    public void firstUseUndone(Binding binding, String why) {
        LOG.log(Level.INFO, "first use undone key={0} hash={1} why={2}", binding.hint(),
                binding.tokenHash().prefix(12), why);
    }

    @Override
    public void undoFailed(Binding binding, RuntimeException cause) {
        LOG.log(Level.WARNING, "first use could not be undone key={0} hash={1} cause={2}",
                binding.hint(), binding.tokenHash().prefix(12),
                LogText.escape(String.valueOf(cause.getMessage())));
    }

    private static String subject(AccessAttempt attempt) {
        return "key=" + attempt.hint() + " hash=" + attempt.tokenHash().prefix(12);
    }

    /** A minute's suppressed lines are reported when the next event comes after it. */
    private void logSummaries() {
        for (Map.Entry<String, Long> summary : throttle.endedSummaries()) {
            LOG.log(Level.WARNING, "log lines suppressed subject=\"{0}\" count={1} "
                    + "window=60s", summary.getKey(), String.valueOf(summary.getValue()));
        }
    }
}
