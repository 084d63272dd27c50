package dev.sentinel.app.proxy;

import dev.sentinel.app.http.ClientAddresses;
import dev.sentinel.app.http.Refusals;
import dev.sentinel.app.http.RequestIds;
import dev.sentinel.domain.RefusalCode;
import dev.sentinel.domain.credential.CredentialExtractor;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.guard.BindingGuard;
import dev.sentinel.domain.net.ForwardingHeaders;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The catch-all route: checks a request's key and streams it to New API and back.
 *
 * <p>One request, on its own virtual thread:
 * <ol>
 *   <li>{@link RequestScreen} decides: client address, {@code Connection} header, key,
 *       binding. A refused request never reaches New API. WebSocket handshakes pass the
 *       same screen before any upgrade.</li>
 *   <li>Forward: hop-by-hop and client-address headers dropped, one {@code X-Real-IP} and
 *       one {@code X-Forwarded-For} set; the body streamed as it arrives.</li>
 *   <li>Relay the answer: status and headers at once (early, for streams), then each chunk
 *       flushed as it arrives, so server-sent events are not held back.</li>
 *   <li>A client that goes away fails the next write; closing the unfinished downstream
 *       response then closes its connection, which cancels New API's work.</li>
 * </ol>
 *
 * <p>Thread-safe; it holds no per-request state.
 */
public final class ProxyHandler implements Handler {

    private static final System.Logger LOG = System.getLogger(ProxyHandler.class.getName());
    private static final HeaderName CONNECTION = HeaderNames.CONNECTION;
    private static final HeaderName REAL_IP = HeaderNames.create(ForwardingHeaders.REAL_IP);
    private static final HeaderName FORWARDED_FOR =
            HeaderNames.create(ForwardingHeaders.FORWARDED_FOR);
    private static final HeaderName REQUEST_ID = HeaderNames.create(RequestIds.HEADER);
    private static final int BUFFER_SIZE = 16 * 1024;

    private final RequestScreen screen;
    private final Http1Client downstream;
    private final DownstreamConnections connections;
    private final DownstreamTarget target;
    private final Refusals refusals;
    private final RequestIds requestIds;
    private final ProxyListener listener;

    /**
     * Creates the handler with a screen of its own.
     *
     * @param clientAddresses how to find the client address
     * @param extractor how to find keys
     * @param hasher how to identify keys
     * @param guard the binding decision
     * @param downstream a client for New API
     * @param connections the connections to New API the client uses
     * @param downstreamUrl New API's base URL
     * @param refusals how to answer a refused request
     * @param requestIds where request ids come from
     * @param listener hears outcomes the guard does not see
     */
    public ProxyHandler(ClientAddresses clientAddresses, CredentialExtractor extractor,
            TokenHasher hasher, BindingGuard guard, Http1Client downstream,
            DownstreamConnections connections, URI downstreamUrl, Refusals refusals,
            RequestIds requestIds, ProxyListener listener) {
        this(new RequestScreen(clientAddresses, extractor, hasher, guard, refusals, listener),
                downstream, connections, downstreamUrl, refusals, requestIds, listener);
    }

    /**
     * Creates the handler.
     *
     * @param screen the check every proxied request passes, shared with WebSocket handshakes
     * @param downstream a client for New API
     * @param connections the connections to New API the client uses
     * @param downstreamUrl New API's base URL
     * @param refusals how to answer a request New API could not answer
     * @param requestIds where request ids come from
     * @param listener hears outcomes the guard does not see
     */
    public ProxyHandler(RequestScreen screen, Http1Client downstream,
            DownstreamConnections connections, URI downstreamUrl, Refusals refusals,
            RequestIds requestIds, ProxyListener listener) {
        this.screen = screen;
        this.downstream = downstream;
        this.connections = connections;
        this.target = new DownstreamTarget(downstreamUrl);
        this.refusals = refusals;
        this.requestIds = requestIds;
        this.listener = listener;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        Screening screening = screen.screen(request, requestIds.next());
        if (screening instanceof Screening.Refused refused) {
            screen.answer(request, response, refused);
            return;
        }
        forward(request, response, (Screening.Admitted) screening);
    }

    private void forward(ServerRequest request, ServerResponse response,
            Screening.Admitted admitted) {
        String method = request.prologue().method().text();
        String requestId = admitted.requestId();
        Http1ClientRequest call = downstream.method(request.prologue().method())
                .uri(target.of(admitted.rawPath(), admitted.rawQuery()))
                .followRedirects(false)
                .sendExpectContinue(false)
                // No socket timeout: the exchange's watch enforces the idle timeout.
                .readTimeout(Duration.ZERO);
        // Formatted once: both forwarding headers carry the same text.
        String client = admitted.client().toString();
        call.headers(out -> {
            for (Header header : request.headers()) {
                String name = header.headerName().lowerCase();
                if (HeaderPolicy.forwardsRequestHeader(name, admitted.connectionTokens())) {
                    out.add(header);
                }
            }
            out.set(REAL_IP, client);
            out.set(FORWARDED_FOR, client);
        });

        long started = System.nanoTime();
        DownstreamExchange exchange;
        try {
            exchange = connections.open();
        } catch (RuntimeException e) {
            unanswered(request, response, admitted, e, false);
            return;
        }
        HttpClientResponse answer;
        try {
            call.connection(exchange.connection());
            answer = request.content().hasEntity()
                    ? call.outputStream(body -> streamRequestBody(request, body, exchange))
                    : awaitAnswer(call, exchange);
            exchange.heard();
        } catch (RuntimeException e) {
            // The request may be half-sent (an upload that broke off): New API would wait
            // for the rest on this connection, and the next request must not be sent there.
            exchange.abandon();
            if (!causedBy(e, ClientBodyBroken.class)) {
                connections.brokeBeforeAnswer(exchange);
            }
            unanswered(request, response, admitted, e, exchange.silenced());
            return;
        }

        Optional<String> misframed = misframing(answer);
        if (misframed.isPresent()) {
            discard(exchange, answer);
            unanswered(request, response, admitted, new MisframedAnswer(misframed.get()), false);
            return;
        }

        try (exchange; answer) {
            int status = answer.status().code();
            listener.downstreamAnswered(status, System.nanoTime() - started);
            screen.settle(admitted, status);
            try {
                relay(request, response, method, answer, exchange, requestId);
            } finally {
                if (endsByClosing(method, answer)) {
                    // New API closes the connection to end such an answer; Helidon's client,
                    // taking the answer for an empty one, would pool the closed connection.
                    exchange.connection().closeResource();
                }
            }
        }
    }

    /**
     * Drops an answer whose end is unclear, and its connection: what follows it there could
     * pass for the next request's answer. The connection is closed first, so that the
     * client cannot pool it.
     */
    private static void discard(DownstreamExchange exchange, HttpClientResponse answer) {
        exchange.abandon();
        try {
            answer.close();
        } catch (IllegalStateException e) {
            // Helidon's client asks the closed connection for the rest of the answer; the
            // connection is closed, which is all that was wanted.
        }
    }

    private static HttpClientResponse awaitAnswer(Http1ClientRequest call,
            DownstreamExchange exchange) {
        exchange.awaitingDownstream();
        return call.request();
    }

    /** Copies the client's body as it arrives; an aborted upload must not end cleanly. */
    private static void streamRequestBody(ServerRequest request, OutputStream body,
            DownstreamExchange exchange) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        // Not closed when a read fails: closing reads on to the body's end, and after a
        // framing error that end may never come.
        InputStream in = request.content().inputStream();
        int read;
        while ((read = readClientBody(in, buffer)) >= 0) {
            if (read > 0) {
                // A New API that stops taking the body is silent too.
                exchange.awaitingDownstream();
                body.write(buffer, 0, read);
                exchange.heard();
            }
        }
        in.close();
        // Closing completes the body; reached only when the client's body ended cleanly.
        // New API's silence counts from here: the upload itself goes at the client's pace.
        body.close();
        exchange.awaitingDownstream();
    }

    private static int readClientBody(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException | UncheckedIOException e) {
            throw new ClientBodyBroken(e);
        } catch (RuntimeException e) {
            // Helidon reports a short or malformed chunked body as a runtime exception.
            throw new ClientBodyBroken(e);
        }
    }

    private void relay(ServerRequest request, ServerResponse response, String method,
            HttpClientResponse answer, DownstreamExchange exchange, String requestId) {
        int status = answer.status().code();
        boolean bodiless = method.equals(Method.HEAD.text()) || status < 200 || status == 204
                || status == 304;
        boolean noLengthAllowed = status == 204 || status == 304 || status < 200;

        response.status(answer.status());
        Set<String> connectionTokens = HeaderPolicy.connectionTokens(
                values(answer.headers(), CONNECTION));
        boolean knownLength = false;
        for (Header header : answer.headers()) {
            String name = header.headerName().lowerCase();
            if (!HeaderPolicy.forwardsResponseHeader(name, connectionTokens)) {
                continue;
            }
            if (name.equals("content-length")) {
                if (noLengthAllowed) {
                    continue;
                }
                knownLength = true;
            }
            response.header(header);
        }
        response.header(REQUEST_ID, requestId);

        if (bodiless) {
            response.send();
            return;
        }
        if (knownLength) {
            streamResponseBody(answer, exchange, new RelayBuffer(answer.headers()
                    .contentLength().orElse(-1)), response.outputStream(), requestId);
            return;
        }

        // A stream of unknown length (SSE): send the headers now, not with the first event.
        EarlyHeaders early = response.sink(EarlyHeaders.TYPE);
        early.flushHeaders();
        streamResponseBody(answer, exchange, new RelayBuffer(), early.body(), requestId);
    }

    /**
     * Copies New API's answer, flushing every chunk: a read returns what one downstream
     * write sent, so each SSE event reaches the client as soon as New API flushes it.
     */
    private void streamResponseBody(HttpClientResponse answer, DownstreamExchange exchange,
            RelayBuffer buffer, OutputStream out, String requestId) {
        String side = "downstream";
        try (InputStream in = answer.inputStream()) {
            int read;
            while ((read = readAnswer(in, buffer, exchange)) >= 0) {
                if (read > 0) {
                    side = "client";
                    buffer.writeTo(out, read);
                    out.flush();
                    side = "downstream";
                }
            }
            side = "client";
            out.close();
        } catch (IOException | RuntimeException e) {
            // Helidon reports a gone client and a downstream cut short as runtime exceptions.
            // Closing the answer (by the caller) drops the downstream connection; closing
            // the client's without a last chunk keeps the truncation visible to it.
            // A client that cancels its stream is routine; New API cutting one off is not.
            String cause = describe(e, exchange.silenced());
            LOG.log(side.equals("client") ? Level.DEBUG : Level.INFO,
                    "stream broke off requestId={0} side={1} cause={2}", requestId, side,
                    cause);
            listener.streamBroken(cause);
            throw new CloseConnectionException("the streamed answer broke off", e);
        }
    }

    private static int readAnswer(InputStream in, RelayBuffer buffer,
            DownstreamExchange exchange) throws IOException {
        exchange.awaitingDownstream();
        int read = buffer.read(in);
        exchange.heard();
        return read;
    }

    private void unanswered(ServerRequest request, ServerResponse response,
            Screening.Admitted admitted, RuntimeException e, boolean silenced) {
        String requestId = admitted.requestId();
        String cause = describe(e, silenced);
        screen.settleUnanswered(admitted, "no answer: " + cause);
        // The client's own upload broke, not New API.
        if (causedBy(e, ClientBodyBroken.class)) {
            clientBodyFailed(request, response, e, requestId);
            return;
        }
        RefusalCode code = silenced || timedOut(e)
                ? RefusalCode.DOWNSTREAM_TIMEOUT
                : RefusalCode.DOWNSTREAM_UNREACHABLE;
        LOG.log(Level.WARNING, "downstream failed requestId={0} code={1} cause={2}",
                requestId, code.code(), cause);
        listener.downstreamFailed(code);
        refusals.send(request, response, code, requestId, Optional.empty());
    }

    /**
     * Ends a request whose body could not be read: too large (413) or badly framed (400) is
     * answered, since the client still listens; a client that went away is closed on. One
     * log line either way: it is the client's doing, not a failure of Sentinel.
     */
    private void clientBodyFailed(ServerRequest request, ServerResponse response,
            RuntimeException e, String requestId) {
        Optional<RequestException> framing = framingError(e);
        if (framing.isEmpty() || response.isSent()) {
            LOG.log(Level.INFO, "client body broke off requestId={0} cause={1}", requestId,
                    describe(e));
            listener.streamBroken(describe(e));
            throw new CloseConnectionException("the client's request body broke off", e);
        }

        boolean tooLarge = framing.get().status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413
                .code();
        LOG.log(Level.INFO, "client body refused requestId={0} status={1} cause={2}",
                requestId, tooLarge ? "413" : "400", describe(e));
        // The rest of the body cannot be read past a framing error: the connection must end.
        response.header(HeaderValues.CONNECTION_CLOSE);
        if (tooLarge) {
            refusals.send(request, response, Status.REQUEST_ENTITY_TOO_LARGE_413,
                    "request_too_large", "The request body is larger than this gateway accepts",
                    requestId);
        } else {
            refusals.send(request, response, RefusalCode.INVALID_REQUEST, requestId,
                    Optional.empty());
        }
    }

    /**
     * Returns Helidon's complaint about the body's framing, if that is why it broke: a
     * chunk size that is no number counts too. A body that merely ended early is no
     * complaint but a client gone.
     */
    private static Optional<RequestException> framingError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestException requestException) {
                return Optional.of(requestException);
            }
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return Optional.empty();
            }
            if (t instanceof IllegalArgumentException) {
                return Optional.of(RequestException.builder()
                        .type(DirectHandler.EventType.BAD_REQUEST)
                        .message("malformed chunk")
                        .build());
            }
        }
        return Optional.empty();
    }

    /**
     * Returns why an answer's framing cannot be relayed safely, if it cannot: Helidon's
     * client takes an interim (1xx) answer for the final one, frames an answer by its
     * {@code Content-Length} even beside {@code Transfer-Encoding} (RFC 9112 section 6.3
     * makes that an error), and relays a transfer coding it does not decode as if there
     * were none.
     */
    private static Optional<String> misframing(HttpClientResponse answer) {
        int status = answer.status().code();
        if (status < 200) {
            return Optional.of("interim answer " + status);
        }
        io.helidon.http.Headers headers = answer.headers();
        if (!headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            return Optional.empty();
        }
        if (headers.contains(HeaderNames.CONTENT_LENGTH)) {
            return Optional.of("both Content-Length and Transfer-Encoding");
        }
        List<String> codings = headers.get(HeaderNames.TRANSFER_ENCODING).allValues();
        if (codings.size() != 1 || !codings.getFirst().strip().equalsIgnoreCase("chunked")) {
            return Optional.of("transfer coding " + String.join(", ", codings));
        }
        return Optional.empty();
    }

    /** Returns whether an answer with a body has neither length nor chunks. */
    private static boolean endsByClosing(String method, HttpClientResponse answer) {
        int status = answer.status().code();
        io.helidon.http.Headers headers = answer.headers();
        return !method.equals(Method.HEAD.text()) && status != 204 && status != 304
                && !headers.contains(HeaderNames.CONTENT_LENGTH)
                && !headers.contains(HeaderNames.TRANSFER_ENCODING);
    }

    private static List<String> values(io.helidon.http.Headers headers, HeaderName name) {
        return headers.contains(name) ? headers.get(name).allValues() : List.of();
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException && !isConnectPhase(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectPhase(Throwable t) {
        String message = t.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("connect");
    }

    private String describe(Throwable e, boolean silenced) {
        return silenced
                ? "New API silent for " + connections.silenceLimit().toSeconds() + " s"
                : describe(e);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** New API's answer is framed in a way that cannot be relayed safely. */
    private static final class MisframedAnswer extends RuntimeException {
        MisframedAnswer(String why) {
            super("misframed answer: " + why, null, false, false);
        }
    }

    /** The client's request body failed while being forwarded. */
    private static final class ClientBodyBroken extends IOException {
        ClientBodyBroken(Throwable cause) {
            super("the client's request body broke off", cause);
        }
    }
}
