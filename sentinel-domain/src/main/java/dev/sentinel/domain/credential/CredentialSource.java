package dev.sentinel.domain.credential;

/** A place in a request where New API reads a model API key. */
public enum CredentialSource {
    /** {@code Authorization}, with or without a {@code Bearer} scheme. */
    AUTHORIZATION("Authorization"),
    /** {@code x-api-key}, as Anthropic clients send it. */
    X_API_KEY("x-api-key"),
    /** {@code x-goog-api-key}, as Gemini clients send it. */
    X_GOOG_API_KEY("x-goog-api-key"),
    /** The {@code key} query parameter, as Gemini clients send it. */
    KEY_QUERY("key query parameter"),
    /** {@code mj-api-secret}, as Midjourney-proxy clients send it. */
    MJ_API_SECRET("mj-api-secret"),
    /** {@code Sec-WebSocket-Protocol}, as browser realtime clients send it. */
    WEBSOCKET_PROTOCOL("Sec-WebSocket-Protocol");

    private final String label;

    CredentialSource(String label) {
        this.label = label;
    }

    /** Returns the header or parameter name, for messages. */
    public String label() {
        return label;
    }
}
