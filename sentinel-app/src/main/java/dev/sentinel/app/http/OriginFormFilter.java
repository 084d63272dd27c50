package dev.sentinel.app.http;

import dev.sentinel.domain.RefusalCode;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Refuses a request whose target is not a path ({@code CONNECT host:443}, {@code *}) before
 * any route sees it: Helidon's path matchers fail on such a target with an internal error.
 *
 * <p>Thread-safe: stateless apart from the id generator.
 */
public final class OriginFormFilter implements Filter {

    private static final System.Logger LOG = System.getLogger(OriginFormFilter.class.getName());

    private final Refusals refusals;
    private final RequestIds requestIds;

    /**
     * Creates the filter.
     *
     * @param refusals how to answer
     * @param requestIds where request ids come from
     */
    public OriginFormFilter(Refusals refusals, RequestIds requestIds) {
        this.refusals = refusals;
        this.requestIds = requestIds;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (request.path().rawPath().startsWith("/")) {
            chain.proceed();
            return;
        }

        String requestId = requestIds.next();
        LOG.log(Level.INFO, "request refused requestId={0} code={1} detail=the request target "
                + "is not a path", requestId, RefusalCode.INVALID_REQUEST.code());
        refusals.send(request, response, RefusalCode.INVALID_REQUEST, requestId,
                Optional.empty());
    }
}
