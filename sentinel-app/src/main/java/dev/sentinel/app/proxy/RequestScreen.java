package dev.sentinel.app.proxy;

import dev.sentinel.app.http.ClientAddresses;
import dev.sentinel.app.http.Refusals;
import dev.sentinel.app.observe.LogText;
import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.credential.CredentialExtraction;
import dev.sentinel.domain.credential.CredentialExtractor;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.guard.AccessAttempt;
import dev.sentinel.domain.guard.BindingGuard;
import dev.sentinel.domain.guard.Verdict;
import dev.sentinel.domain.net.ClientIpResolution;
import dev.sentinel.domain.net.IpAddress;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The check every proxied request passes before anything reaches New API, whether it is
 * plain HTTP or a WebSocket handshake: one policy, one place.
 *
 * <ol>
 *   <li>Resolve the client address (peer, or a trusted proxy's {@code X-Real-IP}).</li>
 *   <li>Refuse a {@code Connection} header naming a header the decision reads, and a
 *       header line without a name.</li>
 *   <li>Refuse a request target that is not a path.</li>
 *   <li>Extract the key from every place New API reads one; the guard decides.</li>
 * </ol>
 *
 * <p>Thread-safe; it holds no per-request state.
 */
public final class RequestScreen {

    private static final System.Logger LOG = System.getLogger(RequestScreen.class.getName());
    private static final HeaderName CONNECTION = HeaderNames.CONNECTION;

    private final ClientAddresses clientAddresses;
    private final CredentialExtractor extractor;
    private final TokenHasher hasher;
    private final BindingGuard guard;
    private final Refusals refusals;
    private final ProxyListener listener;

    /**
     * Creates the screen.
     *
     * @param clientAddresses how to find the client address
     * @param extractor how to find keys
     * @param hasher how to identify keys
     * @param guard the binding decision
     * @param refusals how to answer a refused request
     * @param listener hears refusals made before the guard is asked
     */
    public RequestScreen(ClientAddresses clientAddresses, CredentialExtractor extractor,
            TokenHasher hasher, BindingGuard guard, Refusals refusals, ProxyListener listener) {
        this.clientAddresses = Objects.requireNonNull(clientAddresses, "clientAddresses");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Decides whether a request may reach New API. A first use is bound here, before the
     * request is forwarded; the caller must then {@link #settle} or
     * {@link #settleUnanswered} it.
     *
     * @param request the request
     * @param requestId its id
     * @return the decision
     */
    public Screening screen(ServerRequest request, String requestId) {
        ServerRequestHeaders headers = request.headers();

        // Every check below is about this address.
        ClientIpResolution resolution = clientAddresses.resolve(request);
        if (resolution instanceof ClientIpResolution.Refused refused) {
            return refusedBefore(requestId, RefusalCode.INVALID_CLIENT_IP, refused.detail());
        }
        IpAddress client = ((ClientIpResolution.Resolved) resolution).address();

        // Hop-by-hop stripping must never remove what the decision read.
        Set<String> connectionTokens = HeaderPolicy.connectionTokens(values(headers,
                CONNECTION));
        Optional<String> reliedOn = HeaderPolicy.reliedOnToken(connectionTokens);
        if (reliedOn.isPresent()) {
            return refusedBefore(requestId, RefusalCode.FORBIDDEN_CONNECTION_HEADER,
                    "Connection names " + reliedOn.get());
        }

        // Helidon reads ": value" as a header with an empty name; forwarded, New API would
        // get a line it cannot parse.
        if (hasUnnamedHeader(headers)) {
            return refusedBefore(requestId, RefusalCode.INVALID_REQUEST,
                    "a header line has no name");
        }

        // Only origin-form targets: an absolute URL here would be re-read by New API.
        String method = request.prologue().method().text();
        String rawPath = request.path().rawPath();
        String rawQuery = request.query().rawValue();
        if (!rawPath.startsWith("/")) {
            return refusedBefore(requestId, RefusalCode.INVALID_REQUEST,
                    "the request target is not a path");
        }

        // A byte the request line cannot carry would reach New API as a different target.
        if (!RequestTarget.isForwardable(rawPath, rawQuery)) {
            return refusedBefore(requestId, RefusalCode.INVALID_REQUEST,
                    "the request target has a character that is not printable ASCII");
        }

        // A real CORS preflight carries no key, so it passes below without a decision. No
        // method is exempt: an OPTIONS that carries a key is checked like any request, or
        // the key would reach New API from any network.
        CredentialExtraction extraction = extractor.extract(
                new HelidonRequestView(headers, rawQuery));
        if (extraction instanceof CredentialExtraction.Rejected rejected) {
            return refusedBefore(requestId, rejected.code(), rejected.detail());
        }
        if (!(extraction instanceof CredentialExtraction.Found found)) {
            return new Screening.Admitted(requestId, client, connectionTokens, rawPath,
                    rawQuery, Optional.empty());
        }

        AccessAttempt attempt = new AccessAttempt(hasher.identify(found.key()),
                found.key().hint(), client, method, rawPath,
                headers.first(HeaderNames.USER_AGENT).orElse(""));
        Verdict verdict = guard.check(attempt);
        if (verdict instanceof Verdict.Intercept intercept) {
            return new Screening.Refused(requestId, RefusalCode.ACCESS_DENIED, Optional.empty(),
                    Optional.empty(), Optional.of(intercept.reason()));
        }
        if (verdict instanceof Verdict.Refuse refuse) {
            return new Screening.Refused(requestId, refuse.code(), refuse.retryAfter(),
                    Optional.empty());
        }
        return new Screening.Admitted(requestId, client, connectionTokens, rawPath, rawQuery,
                Optional.of(verdict));
    }

    /**
     * Answers a refused request in Sentinel's JSON shape.
     *
     * @param request the request, for its language and origin
     * @param response the response, not yet sent
     * @param refused the decision
     */
    public void answer(ServerRequest request, ServerResponse response,
            Screening.Refused refused) {
        Objects.requireNonNull(refused, "refused");
        refused.detail().ifPresent(detail -> {
            // A detail may quote the client's own header text.
            LOG.log(Level.INFO, "request refused requestId={0} code={1} detail={2}",
                    refused.requestId(), refused.code().code(), LogText.escape(detail));
            listener.refused(refused.code());
        });
        refusals.send(request, response, refused.code(), refused.requestId(),
                refused.retryAfter(), refused.interceptReason());
    }

    /**
     * Reports New API's answer to an admitted request: a first use it created is kept, or
     * undone on 401.
     *
     * @param admitted the decision
     * @param downstreamStatus the status New API answered with (101 for an accepted
     *         WebSocket handshake)
     */
    public void settle(Screening.Admitted admitted, int downstreamStatus) {
        admitted.bind().ifPresent(bind -> guard.settle(bind, downstreamStatus));
    }

    /**
     * Reports that an admitted request got no answer: a first use it created is undone.
     *
     * @param admitted the decision
     * @param why what happened, for the log
     */
    public void settleUnanswered(Screening.Admitted admitted, String why) {
        admitted.bind().ifPresent(bind -> guard.settleUnanswered(bind, why));
    }

    private static Screening.Refused refusedBefore(String requestId, RefusalCode code,
            String detail) {
        return new Screening.Refused(requestId, code, Optional.empty(), Optional.of(detail));
    }

    private static boolean hasUnnamedHeader(Headers headers) {
        for (Header header : headers) {
            if (header.name().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> values(Headers headers, HeaderName name) {
        return headers.contains(name) ? headers.get(name).allValues() : List.of();
    }
}
