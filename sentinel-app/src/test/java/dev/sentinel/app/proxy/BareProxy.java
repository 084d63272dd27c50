package dev.sentinel.app.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's yardstick, not a test: a reverse proxy with Sentinel's transport
 * ({@link ProxyTransport}, {@link DownstreamConnections}) and forwarding rules but no key
 * logic at all. Whatever Sentinel costs beyond this proxy is the cost of binding keys.
 *
 * <p>{@code BareProxy <port> <downstream URL>}; runs until killed.
 */
public final class BareProxy {

    private static final HeaderName REAL_IP = HeaderNames.create("X-Real-IP");

    private final Http1Client downstream;
    private final DownstreamConnections connections;
    private final DownstreamTarget target;

    private BareProxy(URI downstreamUrl) {
        WebClient client = ProxyTransport.downstreamWebClient(downstreamUrl,
                Duration.ofSeconds(5), Duration.ofMinutes(5));
        this.downstream = client.client(Http1Client.PROTOCOL);
        this.connections = new DownstreamConnections(downstreamUrl, client, 256,
                Duration.ofMinutes(5));
        this.target = new DownstreamTarget(downstreamUrl);
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        BareProxy proxy = new BareProxy(URI.create(args[1]));
        WebServer server = ProxyTransport.listener(WebServer.builder(), 100L * 1024 * 1024)
                .host("127.0.0.1")
                .port(port)
                .routing(routing -> routing.any(proxy::handle))
                .build()
                .start();
        System.out.println("bare proxy listening on 127.0.0.1:" + server.port());
    }

    private void handle(ServerRequest request, ServerResponse response) {
        Set<String> tokens = HeaderPolicy.connectionTokens(
                values(request.headers(), HeaderNames.CONNECTION));
        Http1ClientRequest call = downstream.method(request.prologue().method())
                .uri(target.of(request.path().rawPath(), request.query().rawValue()))
                .followRedirects(false)
                .sendExpectContinue(false)
                .readTimeout(Duration.ZERO);
        call.headers(out -> {
            for (Header header : request.headers()) {
                if (HeaderPolicy.forwardsRequestHeader(header.headerName().lowerCase(),
                        tokens)) {
                    out.add(header);
                }
            }
            out.set(REAL_IP, request.remotePeer().host());
        });

        DownstreamExchange exchange = connections.open();
        call.connection(exchange.connection());
        HttpClientResponse answer;
        try {
            answer = request.content().hasEntity()
                    ? call.outputStream(body -> {
                        request.content().inputStream().transferTo(body);
                        body.close();
                        exchange.awaitingDownstream();
                    })
                    : awaitAnswer(call, exchange);
            exchange.heard();
        } catch (RuntimeException e) {
            exchange.abandon();
            throw e;
        }
        try (exchange; answer) {
            relay(request, response, answer, exchange);
        }
    }

    private static HttpClientResponse awaitAnswer(Http1ClientRequest call,
            DownstreamExchange exchange) {
        exchange.awaitingDownstream();
        return call.request();
    }

    private static void relay(ServerRequest request, ServerResponse response,
            HttpClientResponse answer, DownstreamExchange exchange) {
        int status = answer.status().code();
        response.status(answer.status());
        Set<String> tokens = HeaderPolicy.connectionTokens(
                values(answer.headers(), HeaderNames.CONNECTION));
        boolean knownLength = false;
        for (Header header : answer.headers()) {
            String name = header.headerName().lowerCase();
            if (HeaderPolicy.forwardsResponseHeader(name, tokens)) {
                knownLength |= name.equals("content-length");
                response.header(header);
            }
        }
        if (request.prologue().method() == Method.HEAD || status == 204 || status == 304
                || status < 200) {
            response.send();
            return;
        }
        if (knownLength) {
            copy(answer, exchange, new RelayBuffer(answer.headers().contentLength().orElse(-1)),
                    response.outputStream());
            return;
        }
        EarlyHeaders early = response.sink(EarlyHeaders.TYPE);
        early.flushHeaders();
        copy(answer, exchange, new RelayBuffer(), early.body());
    }

    private static void copy(HttpClientResponse answer, DownstreamExchange exchange,
            RelayBuffer buffer, OutputStream out) {
        try (InputStream in = answer.inputStream()) {
            while (true) {
                exchange.awaitingDownstream();
                int read = buffer.read(in);
                exchange.heard();
                if (read < 0) {
                    break;
                }
                if (read > 0) {
                    buffer.writeTo(out, read);
                    out.flush();
                }
            }
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> values(io.helidon.http.Headers headers, HeaderName name) {
        return headers.contains(name) ? headers.get(name).allValues() : List.of();
    }
}
