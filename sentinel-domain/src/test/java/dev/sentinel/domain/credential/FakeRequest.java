package dev.sentinel.domain.credential;

import java.util.ArrayList;
import java.util.List;

/** A request as a web framework would present it: every header line, every query value. */
final class FakeRequest implements RequestView {

    private record Field(String name, String value) {
    }

    private final List<Field> headers = new ArrayList<>();
    private final List<Field> query = new ArrayList<>();

    static FakeRequest request() {
        return new FakeRequest();
    }

    /** Adds one header line; header names match ignoring case. */
    FakeRequest header(String name, String value) {
        headers.add(new Field(name, value));
        return this;
    }

    /** Adds one decoded query value; parameter names match exactly. */
    FakeRequest query(String name, String value) {
        query.add(new Field(name, value));
        return this;
    }

    /** Puts a key where a client of the given kind would send it. */
    FakeRequest keyIn(CredentialSource source, String key) {
        return switch (source) {
            case AUTHORIZATION -> header("Authorization", "Bearer " + key);
            case X_API_KEY -> header("x-api-key", key);
            case X_GOOG_API_KEY -> header("x-goog-api-key", key);
            case KEY_QUERY -> query("key", key);
            case MJ_API_SECRET -> header("mj-api-secret", key);
            case WEBSOCKET_PROTOCOL -> header("Sec-WebSocket-Protocol",
                    "realtime, openai-insecure-api-key." + key + ", openai-beta.realtime-v1");
        };
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.stream().filter(f -> f.name().equalsIgnoreCase(name))
                .map(Field::value).toList();
    }

    @Override
    public List<String> queryValues(String name) {
        return query.stream().filter(f -> f.name().equals(name)).map(Field::value).toList();
    }

    @Override
    public String toString() {
        return "headers " + headers + ", query " + query;
    }
}
