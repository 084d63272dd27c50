package dev.sentinel.app.proxy;

import io.helidon.common.uri.UriInfo;
import io.helidon.common.uri.UriPath;
import io.helidon.webclient.api.ClientUri;
import java.net.URI;

/**
 * Builds the URI of a forwarded request so that its path and query reach New API byte for
 * byte. Helidon's client decodes a path handed to it as text ({@code %2F} becomes {@code /})
 * and drops matrix parameters ({@code ;x=1}); a raw {@link UriPath} holding path and query
 * is written as it is.
 *
 * <p>Immutable and thread-safe.
 */
final class DownstreamTarget {

    private final String scheme;
    private final String host;
    private final int port;
    private final String basePath;

    DownstreamTarget(URI downstreamUrl) {
        this.scheme = downstreamUrl.getScheme();
        this.host = downstreamUrl.getHost();
        this.port = downstreamUrl.getPort() >= 0
                ? downstreamUrl.getPort()
                : scheme.equalsIgnoreCase("https") ? 443 : 80;
        String path = downstreamUrl.getRawPath() == null ? "" : downstreamUrl.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Returns the downstream URI for a request's raw path (starting with /) and query. */
    ClientUri of(String rawPath, String rawQuery) {
        String target = basePath + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return ClientUri.create(UriInfo.builder()
                .scheme(scheme)
                .host(host)
                .port(port)
                .path(UriPath.create(target))
                .build());
    }
}
