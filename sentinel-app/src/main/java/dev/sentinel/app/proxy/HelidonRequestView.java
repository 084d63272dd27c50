package dev.sentinel.app.proxy;

import dev.sentinel.domain.credential.RequestView;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Helidon request as the domain's {@link RequestView}: every header line (Helidon keeps
 * repeated lines as separate values) and every query value.
 *
 * <p>Not thread-safe; one per request.
 */
final class HelidonRequestView implements RequestView {

    // The extractor asks for the same few headers on every request; resolving each name
    // once keeps that from allocating a name (and lower-casing it) five times per request.
    private static final Map<String, HeaderName> KNOWN_NAMES = known("Authorization",
            "x-api-key", "x-goog-api-key", "mj-api-secret", "Sec-WebSocket-Protocol");

    private final ServerRequestHeaders headers;
    private final String rawQuery;

    HelidonRequestView(ServerRequestHeaders headers, String rawQuery) {
        this.headers = headers;
        this.rawQuery = rawQuery;
    }

    @Override
    public List<String> headerValues(String name) {
        HeaderName headerName = KNOWN_NAMES.get(name);
        if (headerName == null) {
            headerName = HeaderNames.create(name);
        }
        return headers.contains(headerName) ? headers.get(headerName).allValues() : List.of();
    }

    @Override
    public List<String> queryValues(String name) {
        return FormQuery.values(rawQuery, name);
    }

    private static Map<String, HeaderName> known(String... names) {
        Map<String, HeaderName> known = new HashMap<>();
        for (String name : names) {
            known.put(name, HeaderNames.create(name));
        }
        return Map.copyOf(known);
    }
}
