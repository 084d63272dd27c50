package dev.sentinel.domain.credential;

import static dev.sentinel.domain.credential.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.sentinel.domain.RefusalCode;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Laws of key canonicalisation and extraction, checked by jqwik: every spelling New API
 * treats as one token is one key, different tokens are never merged, and the result agrees
 * with a second, deliberately plain implementation of the rule.
 */
class CredentialPropertiesTest {

    private final CredentialExtractor extractor = new CredentialExtractor();

    @Property
    void canonicalisationAgreesWithAPlainReading(@ForAll("candidates") String candidate) {
        Optional<String> expected = reference(candidate);

        if (expected.isEmpty()) {
            assertThatIllegalArgumentException().isThrownBy(() -> ApiKey.fromPasted(candidate));
        } else {
            assertThat(ApiKey.fromPasted(candidate).canonical()).isEqualTo(expected.get());
        }
    }

    @Property
    void everySpellingOfOneTokenIsOneKey(@ForAll("bodies") String body,
            @ForAll @IntRange(min = 0, max = 99) int channel, @ForAll boolean upper,
            @ForAll @IntRange(min = 0, max = 3) int spaces) {
        ApiKey plain = ApiKey.fromPasted("sk-" + body);
        String cased = upper ? body.toUpperCase(Locale.ROOT) : body.toLowerCase(Locale.ROOT);
        String padding = " ".repeat(spaces);

        assertThat(ApiKey.fromPasted(padding + cased + padding)).isEqualTo(plain);
        assertThat(ApiKey.fromPasted("sk-" + cased + "-" + channel)).isEqualTo(plain);
        assertThat(ApiKey.fromPasted(body).sameTokenAs(plain)).isTrue();
    }

    @Property
    void aKeyIsFoundWhereverAClientPutsIt(@ForAll("bodies") String body,
            @ForAll CredentialSource source) {
        CredentialExtraction extraction = extractor.extract(request().keyIn(source,
                "sk-" + body));

        assertThat(extraction).isEqualTo(new CredentialExtraction.Found(
                ApiKey.fromPasted("sk-" + body)));
    }

    @Property
    void oneKeyInTwoPlacesIsStillOneKey(@ForAll("bodies") String body,
            @ForAll CredentialSource first, @ForAll CredentialSource second) {
        CredentialExtraction extraction = extractor.extract(request().keyIn(first,
                "sk-" + body).keyIn(second, body.toUpperCase(Locale.ROOT)));

        assertThat(extraction).isInstanceOf(CredentialExtraction.Found.class);
    }

    @Property
    void twoTokensInOneRequestAreRefusedWhereverTheyAre(@ForAll("bodies") String body,
            @ForAll("bodies") String otherBody, @ForAll CredentialSource first,
            @ForAll CredentialSource second) {
        Assume.that(!body.equalsIgnoreCase(otherBody));

        CredentialExtraction extraction = extractor.extract(request().keyIn(first,
                "sk-" + body).keyIn(second, "sk-" + otherBody));

        assertThat(extraction).isInstanceOf(CredentialExtraction.Rejected.class);
        assertThat(((CredentialExtraction.Rejected) extraction).code())
                .isEqualTo(RefusalCode.AMBIGUOUS_CREDENTIALS);
    }

    @Property
    void aKeyWithAForeignCharacterIsMalformed(@ForAll("bodies") String body,
            @ForAll("foreign") char foreign, @ForAll CredentialSource source) {
        String key = "sk-" + body.substring(0, body.length() / 2) + foreign
                + body.substring(body.length() / 2);
        // The WebSocket line splits on commas, and a comma makes two entries, not one key.
        Assume.that(source != CredentialSource.WEBSOCKET_PROTOCOL || foreign != ',');

        CredentialExtraction extraction = extractor.extract(request().keyIn(source, key));

        assertThat(extraction).isInstanceOf(CredentialExtraction.Rejected.class);
        assertThat(((CredentialExtraction.Rejected) extraction).code())
                .isEqualTo(RefusalCode.INVALID_API_KEY);
    }

    @Property
    void theHintNeverHoldsMoreThanEightCharactersOfTheKey(@ForAll("bodies") String body) {
        String hint = ApiKey.fromPasted("sk-" + body).hint();

        assertThat(hint.replace("sk-", "").replace("…", "").length()).isLessThanOrEqualTo(8);
    }

    /** New API's rule, written out as plainly as possible. */
    private static Optional<String> reference(String candidate) {
        String key = candidate.strip();
        if (key.startsWith("sk-")) {
            key = key.substring(3);
        }
        if (key.contains("-")) {
            key = key.substring(0, key.indexOf('-'));
        }
        if (key.isEmpty()) {
            return Optional.empty();
        }
        for (char c : key.toCharArray()) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            if (!letter && !digit) {
                return Optional.empty();
            }
        }
        return Optional.of(key.toLowerCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').ofMinLength(1).ofMaxLength(64);
    }

    /** Mostly key-like text with the characters that make a value not a key mixed in. */
    @Provide
    Arbitrary<String> candidates() {
        return Arbitraries.oneOf(
                bodies().map(body -> "sk-" + body),
                Arbitraries.strings().withChars("skSK-aZ09 \t._é\u00a0ı").ofMaxLength(12),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(12));
    }

    @Provide
    Arbitrary<Character> foreign() {
        return Arbitraries.of('.', '_', '/', '+', '=', '!', '"', '\'', '<', '>', ' ', '\t',
                'é', 'ı', '\u212a', '\u00a0', '$', '{', '}', ',', ';', ':', '%', '\0');
    }
}
