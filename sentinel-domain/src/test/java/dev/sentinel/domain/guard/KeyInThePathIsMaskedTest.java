package dev.sentinel.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.domain.credential.ApiKey;
import dev.sentinel.domain.credential.TokenHasher;
import dev.sentinel.domain.net.IpAddress;
import org.junit.jupiter.api.Test;

/**
 * A key a client wrote into its request path or user agent went into the intercept log and
 * the log line of the intercept, raw. An attempt keeps the shape of both, with every
 * key-shaped run replaced by its hint.
 */
class KeyInThePathIsMaskedTest {

    private static final String BODY = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJkL";
    private static final TokenHasher HASHER = new TokenHasher("mask-test-secret-0123456789abcdef");

    @Test
    void aKeyInThePathIsReplacedByItsHint() {
        assertThat(attempt("/v1/sk-" + BODY + "/models", "").rawPath())
                .isEqualTo("/v1/sk-Ab…" + BODY.substring(BODY.length() - 4) + "/models");
        assertThat(attempt("/v1/" + BODY + "/models", "").rawPath())
                .isEqualTo("/v1/sk-Ab…" + BODY.substring(BODY.length() - 4) + "/models");
        assertThat(attempt("/v1/SK-" + BODY.substring(0, 20) + "/x", "").rawPath())
                .isEqualTo("/v1/sk-Ab…" + BODY.substring(16, 20) + "/x");
        assertThat(attempt("/v1/x%2F" + BODY, "").rawPath()).doesNotContain(BODY);
    }

    @Test
    void sixteenLettersAndDigitsAfterSkAreMaskedAndFifteenAreNot() {
        // The scan that spares ordinary paths the matcher must not spare a short key.
        assertThat(attempt("/v1/sk-" + BODY.substring(0, 16) + "/x", "").rawPath())
                .isEqualTo("/v1/sk-Ab…" + BODY.substring(12, 16) + "/x");
        assertThat(attempt("/v1/sk-" + BODY.substring(0, 15) + "/x", "").rawPath())
                .isEqualTo("/v1/sk-" + BODY.substring(0, 15) + "/x");
    }

    @Test
    void aKeyInTheUserAgentIsReplacedByItsHint() {
        assertThat(attempt("/v1/models", "my-app/1.0 (sk-" + BODY + ")").userAgent())
                .isEqualTo("my-app/1.0 (sk-Ab…" + BODY.substring(BODY.length() - 4) + ")");
    }

    @Test
    void ordinaryPathsAndAgentsAreKeptAsSent() {
        for (String path : new String[] {"/v1/chat/completions",
                "/mj/task/1712345678901234/fetch", "/v1/files/file-abc123DEF456ghi789JKL0",
                "/v1beta/models/gemini-1.5-pro:stream", "/v1/task-scheduler",
                "/suno/fetch/0f8fad5b-d9cb-469f-a165-70867728950e",
                "/v1/files/" + "0123456789abcdef".repeat(4),
                "/v1/files/" + "0123456789ABCDEF".repeat(2)}) {
            assertThat(attempt(path, "").rawPath()).isEqualTo(path);
        }
        assertThat(attempt("/v1/models", "openai-python/1.40.0").userAgent())
                .isEqualTo("openai-python/1.40.0");
    }

    private static AccessAttempt attempt(String rawPath, String userAgent) {
        ApiKey key = ApiKey.fromPasted("sk-" + BODY);
        return new AccessAttempt(HASHER.identify(key), key.hint(), IpAddress.of("192.0.2.1"),
                "GET", rawPath, userAgent);
    }
}
