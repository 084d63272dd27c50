package dev.sentinel.app.proxy;

import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.binding.InterceptReason;
import dev.sentinel.domain.guard.Verdict;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link RequestScreen} decided about one request: let it through to New API, or
 * refuse it. The caller must look at which.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Screening {

    /** Returns the id written to the answer and to every log line about the request. */
    String requestId();

    /**
     * The request may reach New API.
     *
     * @param requestId the request's id
     * @param client the resolved client address, sent on as {@code X-Real-IP}
     * @param connectionTokens the lower-cased tokens of the request's {@code Connection}
     *         header: headers it names are not forwarded
     * @param rawPath the path as received, starting with {@code /}
     * @param rawQuery the query as received, without {@code ?}; empty when there is none
     * @param verdict the guard's verdict; empty when the request carried no key (a CORS
     *         preflight carries none)
     */
    record Admitted(String requestId, IpAddress client, Set<String> connectionTokens,
            String rawPath, String rawQuery, Optional<Verdict> verdict) implements Screening {

        /** Checks and copies the parts. */
        public Admitted {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(client, "client");
            connectionTokens = Set.copyOf(connectionTokens);
            Objects.requireNonNull(rawPath, "rawPath");
            Objects.requireNonNull(rawQuery, "rawQuery");
            Objects.requireNonNull(verdict, "verdict");
        }

        /**
         * Returns the first-use binding this request created, which New API's answer must
         * settle.
         *
         * @return the binding verdict, or empty when the request created none
         */
        public Optional<Verdict.Bind> bind() {
            return verdict.filter(Verdict.Bind.class::isInstance).map(Verdict.Bind.class::cast);
        }
    }

    /**
     * The request is answered by Sentinel and never reaches New API.
     *
     * @param requestId the request's id
     * @param code the refusal
     * @param retryAfter when to try again (429, 503)
     * @param detail why, for the log; empty when the guard refused (it logs for itself)
     * @param interceptReason why the guard stopped a bound key, which the client is told;
     *         empty for every other refusal
     */
    record Refused(String requestId, RefusalCode code, Optional<Duration> retryAfter,
            Optional<String> detail, Optional<InterceptReason> interceptReason)
            implements Screening {

        /** Checks the parts. */
        public Refused {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(interceptReason, "interceptReason");
        }

        /** A refusal that is no intercept. */
        public Refused(String requestId, RefusalCode code, Optional<Duration> retryAfter,
                Optional<String> detail) {
            this(requestId, code, retryAfter, detail, Optional.empty());
        }
    }
}
