package dev.sentinel.app.http;

import dev.sentinel.domain.net.ClientIpResolution;
import dev.sentinel.domain.net.ClientIpResolver;
import dev.sentinel.domain.net.ForwardingHeaders;
import dev.sentinel.domain.net.IpAddress;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Resolves the client address of a Helidon request by the domain's rule. Proxied and admin
 * requests share it, so login lockout sees the admin and not nginx.
 *
 * <p>Thread-safe.
 */
public final class ClientAddresses {

    private static final HeaderName REAL_IP = HeaderNames.create(ForwardingHeaders.REAL_IP);

    private final ClientIpResolver resolver;

    /**
     * Creates the resolver.
     *
     * @param resolver the domain rule with the trusted proxies
     */
    public ClientAddresses(ClientIpResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Resolves a request's client address.
     *
     * @param request the request
     * @return the address, or a refusal for a trusted proxy without a usable header
     */
    public ClientIpResolution resolve(ServerRequest request) {
        IpAddress peer = peerOf(request.remotePeer().address());
        List<String> realIp = request.headers().contains(REAL_IP)
                ? request.headers().get(REAL_IP).allValues()
                : List.of();
        return resolver.resolve(peer, realIp);
    }

    private static IpAddress peerOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return IpAddress.fromInetAddress(inet.getAddress());
        }
        // Unix sockets and the like have no network: treat them as the local host.
        return IpAddress.of("127.0.0.1");
    }
}
