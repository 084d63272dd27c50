package dev.sentinel.app.proxy;

import dev.sentinel.domain.credential.RequestView;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import java.util.List;

/**
 * A Helidon request as the domain's {@link RequestView}: every header line (Helidon keeps
 * repeated lines as separate values) and every query value.
 *
 * <p>Not thread-safe; one per request.
 */
final class HelidonRequestView implements RequestView {

    private final ServerRequestHeaders headers;
    private final String rawQuery;

    HelidonRequestView(ServerRequestHeaders headers, String rawQuery) {
        this.headers = headers;
        this.rawQuery = rawQuery;
    }

    @Override
    public List<String> headerValues(String name) {
        HeaderName headerName = HeaderNames.create(name);
        return headers.contains(headerName) ? headers.get(headerName).allValues() : List.of();
    }

    @Override
    public List<String> queryValues(String name) {
        return FormQuery.values(rawQuery, name);
    }
}
