package dev.sentinel.app.websocket;

import dev.sentinel.app.http.Refusals;
import dev.sentinel.app.http.RequestIds;
import dev.sentinel.app.proxy.HeaderPolicy;
import dev.sentinel.app.proxy.RequestScreen;
import dev.sentinel.app.proxy.Screening;
import dev.sentinel.app.websocket.DownstreamDialer.Dialed;
import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.net.ForwardingHeaders;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a WebSocket handshake exactly as a plain request is checked, and opens New API's
 * side before the client's is upgraded.
 *
 * <ol>
 *   <li>Only handshakes {@link BridgeUpgrader} prepared are touched; every other request
 *       passes on.</li>
 *   <li>{@link RequestScreen} decides. A refusal is answered as a normal response (JSON,
 *       request id, CORS) and Helidon sends no {@code 101}.</li>
 *   <li>The handshake is repeated to New API with the client's path and query byte for
 *       byte, its sub-protocols and headers, and one {@code X-Real-IP} and
 *       {@code X-Forwarded-For}. A first use is kept only when New API upgrades; any other
 *       answer, or none, undoes it.</li>
 *   <li>A refused New API handshake is passed to the client (status, headers, body);
 *       502/504 when New API cannot be reached.</li>
 *   <li>Accepted: the sub-protocol New API chose is handed to the handshake, which sends
 *       {@code 101} when the filter chain proceeds. If that fails, New API's side is
 *       closed.</li>
 * </ol>
 *
 * <p>Thread-safe; it holds no per-request state.
 */
final class HandshakeFilter implements Filter {

    private static final System.Logger LOG = System.getLogger(HandshakeFilter.class.getName());
    private static final HeaderName PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");
    private static final String DOWNSTREAM = "downstream";

    private final RequestScreen screen;
    private final Refusals refusals;
    private final RequestIds requestIds;
    private final DownstreamDialer dialer;
    private final BridgeLimits limits;
    private final BridgeListener listener;

    HandshakeFilter(RequestScreen screen, Refusals refusals, RequestIds requestIds,
            DownstreamDialer dialer, BridgeLimits limits, BridgeListener listener) {
        this.screen = screen;
        this.refusals = refusals;
        this.requestIds = requestIds;
        this.dialer = dialer;
        this.limits = limits;
        this.listener = listener;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Optional<Handshake> prepared = BridgeUpgrader.claim(request);
        if (prepared.isEmpty()) {
            chain.proceed();
            return;
        }
        Handshake handshake = prepared.get();

        Screening screening = screen.screen(request, requestIds.next());
        if (screening instanceof Screening.Refused refused) {
            screen.answer(request, response, refused);
            listener.refused(refused.requestId(), refused.code().httpStatus(),
                    refused.code().code());
            return;
        }
        Screening.Admitted admitted = (Screening.Admitted) screening;
        String requestId = admitted.requestId();

        Bridge bridge = new Bridge(requestId, limits, listener);
        Dialed dialed = dialer.dial(admitted.rawPath(), admitted.rawQuery(),
                forwardedHeaders(request, admitted), subprotocols(request), bridge
                        .downstreamListener());
        switch (dialed) {
            case Dialed.Unsendable unsendable -> {
                screen.settleUnanswered(admitted, "not sent: " + unsendable.detail());
                screen.answer(request, response, new Screening.Refused(requestId,
                        RefusalCode.INVALID_REQUEST, Optional.empty(),
                        Optional.of(unsendable.detail())));
                listener.refused(requestId, RefusalCode.INVALID_REQUEST.httpStatus(),
                        RefusalCode.INVALID_REQUEST.code());
            }
            case Dialed.Failed failed -> {
                screen.settleUnanswered(admitted, "no answer: " + failed.cause());
                LOG.log(Level.WARNING, "downstream failed requestId={0} code={1} cause={2}",
                        requestId, failed.code().code(), failed.cause());
                refusals.send(request, response, failed.code(), requestId, Optional.empty());
                listener.refused(requestId, failed.code().httpStatus(), failed.code().code());
            }
            case Dialed.Answered answered -> {
                // Unlike a plain answer, any answer but an upgrade proves nothing about the
                // key: a route that does not speak WebSocket answers 200 to any key.
                screen.settleUnanswered(admitted, "upgrade refused status="
                        + answered.status());
                relay(response, answered, requestId);
                listener.refused(requestId, answered.status(), DOWNSTREAM);
            }
            case Dialed.Connected connected -> {
                screen.settle(admitted, Status.SWITCHING_PROTOCOLS_101.code());
                String chosen = connected.socket().getSubprotocol();
                handshake.admit(bridge, chosen == null ? "" : chosen);
                response.header(RequestIds.HEADER, requestId);
                try {
                    chain.proceed();
                } finally {
                    if (!handshake.upgraded()) {
                        bridge.abandon("the client's upgrade was not completed");
                    }
                }
            }
        }
    }

    /** The client's headers as for a forwarded request, minus the handshake's own. */
    private static List<Map.Entry<String, String>> forwardedHeaders(RoutingRequest request,
            Screening.Admitted admitted) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Header header : request.headers()) {
            String name = header.headerName().lowerCase();
            // The JDK client writes the handshake's headers and the length itself.
            if (!HeaderPolicy.forwardsRequestHeader(name, admitted.connectionTokens())
                    || name.startsWith("sec-websocket-") || name.equals("content-length")) {
                continue;
            }
            for (String value : header.allValues()) {
                headers.add(Map.entry(header.name(), value));
            }
        }
        String client = admitted.client().toString();
        headers.add(Map.entry(ForwardingHeaders.REAL_IP, client));
        headers.add(Map.entry(ForwardingHeaders.FORWARDED_FOR, client));
        return headers;
    }

    /** The client's sub-protocols in order; one of them may carry the key. */
    private static List<String> subprotocols(RoutingRequest request) {
        List<String> names = new ArrayList<>();
        if (!request.headers().contains(PROTOCOL)) {
            return names;
        }
        for (String line : request.headers().get(PROTOCOL).allValues()) {
            for (String entry : line.split(",")) {
                String name = entry.strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Passes New API's refusal of the handshake on, as a proxied answer would be. */
    private static void relay(RoutingResponse response, Dialed.Answered answered,
            String requestId) {
        HttpHeaders headers = answered.headers();
        Set<String> connectionTokens = HeaderPolicy.connectionTokens(
                headers.allValues("connection"));
        response.status(Status.create(answered.status()));
        headers.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HeaderPolicy.forwardsResponseHeader(lower, connectionTokens)
                    && !lower.equals("content-length") && !lower.startsWith(":")) {
                response.header(HeaderNames.create(name), values.toArray(String[]::new));
            }
        });
        response.header(RequestIds.HEADER, requestId);
        response.send(answered.body().getBytes(charsetOf(headers)));
    }

    /** The JDK decoded the body with the charset its type names, or UTF-8; so encode. */
    private static Charset charsetOf(HttpHeaders headers) {
        Optional<String> type = headers.firstValue("content-type");
        if (type.isPresent()) {
            for (String parameter : type.get().split(";")) {
                String[] pair = parameter.strip().split("=", 2);
                if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                    try {
                        return Charset.forName(pair[1].strip().replace("\"", ""));
                    } catch (IllegalArgumentException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
