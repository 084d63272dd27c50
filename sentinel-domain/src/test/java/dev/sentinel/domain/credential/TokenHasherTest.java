package dev.sentinel.domain.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenHasherTest {

    private static final String SECRET = "known-answer-secret-of-32-chars-or-more";

    private final TokenHasher hasher = new TokenHasher(SECRET);

    @Test
    void theIdentityIsHmacSha256OfTheCanonicalKeyInHex() {
        // Computed independently of Java on the build machine with OpenSSL 3.0:
        //   printf '%s' q1w2e3r4t5y6u7i8o9p0aassddffgghhjjkkllzzxxccvvbb \
        //       | openssl dgst -sha256 -hmac known-answer-secret-of-32-chars-or-more
        TokenHash hash = hasher.identify(ApiKey.fromPasted(
                "sk-Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLlZzXxCcVvBb"));

        assertThat(hash.hex())
                .isEqualTo("91c0b1d602355e71a8d51797609c5fc43ca61b5fee03e39b84d05b29521b970b");
    }

    @Test
    void everySpellingOfOneKeyHasOneIdentity() {
        TokenHash expected = hasher.identify(ApiKey.fromPasted("sk-AbC123xyz"));

        for (String spelling : List.of("AbC123xyz", "sk-abc123xyz", "sk-ABC123XYZ-3",
                " sk-AbC123xyz ")) {
            assertThat(hasher.identify(ApiKey.fromPasted(spelling))).as(spelling)
                    .isEqualTo(expected);
        }
        assertThat(hasher.identify(ApiKey.fromPasted("sk-AbC123xyw"))).isNotEqualTo(expected);
    }

    @Test
    void anotherSecretGivesAnotherIdentity() {
        ApiKey key = ApiKey.fromPasted("sk-AbC123xyz");
        TokenHasher other = new TokenHasher(SECRET + "!");

        assertThat(other.identify(key)).isNotEqualTo(hasher.identify(key));
    }

    @Test
    void aSecretShorterThan32CharactersIsRefusedWithoutEchoingIt() {
        String shortSecret = "abcdefghijklmnopqrstuvwxyz01234";

        assertThat(shortSecret).hasSize(31);
        assertThatThrownBy(() -> new TokenHasher(shortSecret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31 characters")
                .hasMessageContaining("at least 32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abcd")
                        .doesNotContain("01234"));
        assertThat(new TokenHasher(shortSecret + "5").identify(ApiKey.fromPasted("abc")))
                .isNotNull();
    }

    @Test
    void aMissingSecretIsRefusedByName() {
        assertThatThrownBy(() -> new TokenHasher(null))
                .isInstanceOf(NullPointerException.class).hasMessage("secret");
        assertThatThrownBy(() -> hasher.identify(null))
                .isInstanceOf(NullPointerException.class).hasMessage("key");
    }

    @Test
    void manyVirtualThreadsAtOnceGetTheSameIdentities() throws Exception {
        List<ApiKey> keys = new ArrayList<>();
        Map<ApiKey, TokenHash> expected = new HashMap<>();
        TokenHasher reference = new TokenHasher(SECRET);
        for (int i = 0; i < 64; i++) {
            ApiKey key = ApiKey.fromPasted("sk-key" + i + "Z" + (i * 7919));
            keys.add(key);
            expected.put(key, reference.identify(key));
        }

        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int task = 0; task < 5_000; task++) {
                ApiKey key = keys.get(task % keys.size());
                results.add(threads.submit(() -> hasher.identify(key).equals(expected.get(key))));
            }
        }

        for (Future<Boolean> result : results) {
            assertThat(result.get()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "abc", "91C0B1D602355E71A8D51797609C5FC43CA61B5FEE03E39B84D05B29521B970B",
        "91c0b1d602355e71a8d51797609c5fc43ca61b5fee03e39b84d05b29521b970",
        "91c0b1d602355e71a8d51797609c5fc43ca61b5fee03e39b84d05b29521b970bb",
        "g1c0b1d602355e71a8d51797609c5fc43ca61b5fee03e39b84d05b29521b970b"
    })
    void aTokenHashIsExactly64LowerCaseHexDigits(String hex) {
        assertThatThrownBy(() -> new TokenHash(hex))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lower-case hex digits");
    }

    @Test
    void aTokenHashPrefixIsItsFirstDigits() {
        TokenHash hash = new TokenHash(
                "91c0b1d602355e71a8d51797609c5fc43ca61b5fee03e39b84d05b29521b970b");

        assertThat(hash.prefix(8)).isEqualTo("91c0b1d6");
        assertThat(hash.prefix(100)).isEqualTo(hash.hex());
        assertThat(hash).hasToString(hash.hex());
    }
}
