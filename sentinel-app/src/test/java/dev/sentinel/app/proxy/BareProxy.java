package dev.sentinel.app.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
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
 * ({@link ProxyTransport}) and forwarding rules but no key logic at all. Whatever Sentinel
 * costs beyond this proxy is the cost of binding keys.
 *
 * <p>{@code BareProxy <port> <downstream URL>}; runs until killed.
 */
public final class BareProxy {

    private static final HeaderName REAL_IP = HeaderNames.create("X-Real-IP");

    private final Http1Client downstream;
    private final DownstreamTarget target;

    private BareProxy(URI downstreamUrl) {
        this.downstream = ProxyTransport.downstreamClient(downstreamUrl, Duration.ofSeconds(5),
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
                .sendExpectContinue(false);
        call.headers(out -> {
            for (Header header : request.headers()) {
                if (HeaderPolicy.forwardsRequestHeader(header.headerName().lowerCase(),
                        tokens)) {
                    out.add(header);
                }
            }
            out.set(REAL_IP, request.remotePeer().host());
        });

        HttpClientResponse answer = request.content().hasEntity()
                ? call.outputStream(body -> {
                    request.content().inputStream().transferTo(body);
                    body.close();
                })
                : call.request();
        try (answer) {
            relay(request, response, answer);
        }
    }

    private static void relay(ServerRequest request, ServerResponse response,
            HttpClientResponse answer) {
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
            copy(answer, new RelayBuffer(answer.headers().contentLength().orElse(-1)),
                    response.outputStream());
            return;
        }
        EarlyHeaders early = response.sink(EarlyHeaders.TYPE);
        early.flushHeaders();
        copy(answer, new RelayBuffer(), early.body());
    }

    private static void copy(HttpClientResponse answer, RelayBuffer buffer, OutputStream out) {
        try (InputStream in = answer.inputStream()) {
            int read;
            while ((read = buffer.read(in)) >= 0) {
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
