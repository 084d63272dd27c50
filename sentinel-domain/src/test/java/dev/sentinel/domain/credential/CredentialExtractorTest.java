package dev.sentinel.domain.credential;

import static dev.sentinel.domain.credential.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.domain.RefusalCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialExtractorTest {

    static final String KEY_A = "sk-Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLlZzXxCcVvBb";
    static final String KEY_B = "sk-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0PpOoNnMmLlKkJjIiHh";

    private final CredentialExtractor extractor = new CredentialExtractor();

    @Test
    void aRequestWithoutCandidatesCarriesNoCredential() {
        assertThat(extractor.extract(request())).isEqualTo(new CredentialExtraction.NoCredential());
        assertThat(extractor.extract(request().header("Cookie", "session=" + KEY_A)
                .header("New-Api-User", "1").query("model", "gpt-4o").query("api_key", KEY_A)))
                .isEqualTo(new CredentialExtraction.NoCredential());
    }

    @ParameterizedTest
    @EnumSource(CredentialSource.class)
    void everyPlaceNewApiReadsAKeyYieldsIt(CredentialSource source) {
        assertThat(extractor.extract(request().keyIn(source, KEY_A)))
                .isEqualTo(found(KEY_A));
    }

    @Test
    void headerNamesMatchInAnyCase() {
        assertThat(extractor.extract(request().header("AUTHORIZATION", "Bearer " + KEY_A)))
                .isEqualTo(found(KEY_A));
        assertThat(extractor.extract(request().header("X-Api-Key", KEY_A)))
                .isEqualTo(found(KEY_A));
        assertThat(extractor.extract(request().header("sec-websocket-protocol", KEY_A)))
                .isEqualTo(found(KEY_A));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "", "Bearer   ", "bearer\u0020\u0020"})
    void authorizationTakesBearerInTwoSpellingsOrNoSchemeAtAll(String scheme) {
        assertThat(extractor.extract(request().header("Authorization", scheme + KEY_A)))
                .isEqualTo(found(KEY_A));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "BEARER " + KEY_A, "Basic dXNlcjpwYXNzd29yZA==", "Basic " + KEY_A, "Token " + KEY_A,
        "Bearer: " + KEY_A, "Bearer\t" + KEY_A, "bEARER " + KEY_A
    })
    void anyOtherSchemeStaysInTheValueAndMakesItInvalid(String value) {
        // New API strips only "Bearer " and "bearer "; the rest is looked up as it is, and
        // a space can never be part of a key.
        assertThat(extractor.extract(request().header("Authorization", value)))
                .satisfies(rejectedWith(RefusalCode.INVALID_API_KEY));
    }

    @Test
    void severalAuthorizationLinesWithOneKeyAreOneKey() {
        assertThat(extractor.extract(request().header("Authorization", "Bearer " + KEY_A)
                .header("Authorization", KEY_A)))
                .isEqualTo(found(KEY_A));
    }

    @Test
    void severalAuthorizationLinesWithTwoKeysAreAmbiguous() {
        assertThat(extractor.extract(request().header("Authorization", "Bearer " + KEY_A)
                .header("Authorization", "Bearer " + KEY_B)))
                .satisfies(rejectedWith(RefusalCode.AMBIGUOUS_CREDENTIALS));
    }

    @Test
    void oneKeyInEveryPlaceAtOnceIsOneKey() {
        FakeRequest everywhere = request();
        for (CredentialSource source : CredentialSource.values()) {
            everywhere.keyIn(source, KEY_A);
        }

        assertThat(extractor.extract(everywhere)).isEqualTo(found(KEY_A));
    }

    static Stream<Arguments> everyPairOfPlaces() {
        List<Arguments> pairs = new ArrayList<>();
        for (CredentialSource first : CredentialSource.values()) {
            for (CredentialSource second : CredentialSource.values()) {
                pairs.add(Arguments.of(first, second));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest
    @MethodSource("everyPairOfPlaces")
    void twoDifferentKeysAreAmbiguousInAnyTwoPlaces(CredentialSource first,
            CredentialSource second) {
        CredentialExtraction extraction = extractor.extract(
                request().keyIn(first, KEY_A).keyIn(second, KEY_B));

        assertThat(extraction).satisfies(rejectedWith(RefusalCode.AMBIGUOUS_CREDENTIALS));
        assertThat(((CredentialExtraction.Rejected) extraction).detail())
                .contains(first.label()).contains(second.label());
        assertRevealsNothingOf(extraction.toString(), KEY_A);
        assertRevealsNothingOf(extraction.toString(), KEY_B);
    }

    @Test
    void everySpellingOfOneTokenIsOneKey() {
        // New API strips one sk-, ignores a -channel suffix, and on MySQL ignores case.
        List<String> spellings = List.of("sk-AbC123xyz", "AbC123xyz", "sk-AbC123xyz-7",
                "sk-abc123xyz", "ABC123XYZ", "  sk-AbC123xyz  ", "sk-AbC123xyz-7-extra",
                "AbC123xyz-");
        FakeRequest all = request();
        for (String spelling : spellings) {
            assertThat(extractor.extract(request().header("x-api-key", spelling)))
                    .as(spelling).isEqualTo(found("sk-abc123xyz"));
            all.header("Authorization", "Bearer " + spelling);
        }

        assertThat(extractor.extract(all)).isEqualTo(found("abc123xyz"));
    }

    @Test
    void anUpperCaseSkIsNotAPrefixButTheWholeToken() {
        // SPEC's order is trim, strip "sk-" case-sensitively, then cut at the first "-". So
        // "SK-AbC123" keeps its "SK", is cut to "SK", and is the valid token "sk": New API
        // looks up "SK" (matched case-insensitively on MySQL), not "AbC123".
        CredentialExtraction upper = extractor.extract(request().header("x-api-key",
                "SK-AbC123"));

        assertThat(upper).isEqualTo(found("sk"));
        assertThat(upper).isNotEqualTo(found("AbC123"));
        assertThat(extractor.extract(request().header("x-api-key", "SK-AbC123")
                .header("Authorization", "Bearer sk-AbC123")))
                .satisfies(rejectedWith(RefusalCode.AMBIGUOUS_CREDENTIALS));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sk-ab_cd", "sk-abc$", "sk-abc+", "sk-abc/", "sk-abc=", "sk-abc.def", "sk-abc%20",
        "sk-\u043a\u043b\u044e\u0447", "sk-caf\u00e9", "sk-\uff41\uff42\uff43", "sk-abc\u00a0",
        "sk-\u0661\u0662", "sk-", "sk--abc", "-abc", "sk-ab cd", "ab cd", "sk-a\tb",
        "sk-abc\u0000", "\"sk-abc\"", "sk-abc;", "sk-abc,sk-abc"
    })
    void aValueThatIsNoAsciiAlphanumericTokenIsInvalid(String value) {
        for (CredentialSource source : List.of(CredentialSource.AUTHORIZATION,
                CredentialSource.X_API_KEY, CredentialSource.KEY_QUERY)) {
            CredentialExtraction extraction = extractor.extract(request().keyIn(source, value));

            assertThat(extraction).as("%s in %s", value, source)
                    .satisfies(rejectedWith(RefusalCode.INVALID_API_KEY));
            assertThat(((CredentialExtraction.Rejected) extraction).detail())
                    .isEqualTo("the value in " + source.label() + " is not a model API key: "
                            + "expected sk- followed by ASCII letters and digits");
        }
    }

    @Test
    void anInvalidValueBesideAGoodKeyStillRefusesTheRequest() {
        assertThat(extractor.extract(request().header("Authorization", "Bearer " + KEY_A)
                .header("x-goog-api-key", "sk-not_valid")))
                .satisfies(rejectedWith(RefusalCode.INVALID_API_KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "Bearer ", "bearer ", "Bearer    ", "bearer \t "})
    void anEmptyValueIsNoCredential(String value) {
        assertThat(extractor.extract(request().header("Authorization", value)))
                .isEqualTo(new CredentialExtraction.NoCredential());
        assertThat(extractor.extract(request().header("mj-api-secret", value)))
                .isEqualTo(new CredentialExtraction.NoCredential());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "bearer", " Bearer\t"})
    void aBearerSchemeWithoutATokenIsNoCredential(String value) {
        // An empty bearer token arrives as "Bearer", because HTTP parsers strip the space
        // after it, and was taken as the key "bearer": each such request tried to bind it,
        // spent its network's new-binding allowance, and from a second network was
        // intercepted as if a stolen key. The bare scheme is no credential, like "Bearer ".
        assertThat(extractor.extract(request().header("Authorization", value)))
                .isEqualTo(new CredentialExtraction.NoCredential());
        assertThat(extractor.extract(request().header("mj-api-secret", value)))
                .isEqualTo(new CredentialExtraction.NoCredential());
        assertThat(extractor.extract(request().header("Authorization", value)
                .header("x-api-key", KEY_A)))
                .isEqualTo(found(KEY_A));
    }

    @Test
    void anEmptyValueInAnyOtherPlaceIsNoCredential() {
        assertThat(extractor.extract(request().header("x-api-key", "")
                .header("x-goog-api-key", "  ").query("key", "")
                .header("Sec-WebSocket-Protocol", "")))
                .isEqualTo(new CredentialExtraction.NoCredential());
    }

    @Test
    void theMidjourneyPlaceholderIsNoKey() {
        for (FakeRequest placeholder : List.of(
                request().header("mj-api-secret", "midjourney-proxy"),
                request().header("mj-api-secret", "Bearer midjourney-proxy"),
                request().header("Authorization", "midjourney-proxy"),
                request().header("Authorization", "Bearer midjourney-proxy"),
                request().header("Authorization", "Bearer midjourney-proxy")
                        .header("mj-api-secret", "midjourney-proxy"))) {
            assertThat(extractor.extract(placeholder)).as("%s", placeholder)
                    .isEqualTo(new CredentialExtraction.NoCredential());
        }
    }

    @Test
    void theMidjourneyPlaceholderBesideARealSecretYieldsTheSecret() {
        assertThat(extractor.extract(request().header("Authorization", "midjourney-proxy")
                .header("mj-api-secret", KEY_A)))
                .isEqualTo(found(KEY_A));
        assertThat(extractor.extract(request().header("mj-api-secret", "Bearer " + KEY_A)))
                .isEqualTo(found(KEY_A));
    }

    @Test
    void aKeyMerelyLookingLikeThePlaceholderIsChecked() {
        // New API compares the placeholder exactly; sk-midjourney-proxy is the token
        // "midjourney" to it, so it must be to us.
        assertThat(extractor.extract(request().header("Authorization", "sk-midjourney-proxy")))
                .isEqualTo(found("midjourney"));
        assertThat(extractor.extract(request().header("mj-api-secret", "Midjourney-Proxy")))
                .isEqualTo(found("midjourney"));
    }

    @Test
    void aBrowserRealtimeProtocolListYieldsItsKey() {
        assertThat(extractor.extract(request().header("Sec-WebSocket-Protocol",
                "realtime, openai-insecure-api-key.sk-x, openai-beta.realtime-v1")))
                .isEqualTo(found("x"));
        assertThat(extractor.extract(request().header("Sec-WebSocket-Protocol",
                "openai-insecure-api-key." + KEY_A)))
                .isEqualTo(found(KEY_A));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "realtime", "openai-beta.realtime-v1", "realtime, openai-beta.realtime-v1",
        "openai-beta.realtime-v1,realtime", " realtime ", "openai-insecure-api-key.",
        "realtime, openai-insecure-api-key., openai-beta.realtime-v1", "responses"
    })
    void subProtocolNamesAloneAreNoKey(String line) {
        assertThat(extractor.extract(request().header("Sec-WebSocket-Protocol", line)))
                .isEqualTo(new CredentialExtraction.NoCredential());
    }

    @Test
    void aProtocolLineWithoutAKeyEntryIsItselfTheKey() {
        // New API writes such a line into Authorization as it is.
        assertThat(extractor.extract(request().header("Sec-WebSocket-Protocol", KEY_A)))
                .isEqualTo(found(KEY_A));
        assertThat(extractor.extract(request().header("Sec-WebSocket-Protocol", "chat")))
                .isEqualTo(found("chat"));
        assertThat(extractor.extract(request().header("Sec-WebSocket-Protocol",
                "realtime, chat")))
                .satisfies(rejectedWith(RefusalCode.INVALID_API_KEY));
    }

    @Test
    void everyProtocolLineIsRead() {
        assertThat(extractor.extract(request()
                .header("Sec-WebSocket-Protocol", "realtime")
                .header("Sec-WebSocket-Protocol", "openai-insecure-api-key." + KEY_A)))
                .isEqualTo(found(KEY_A));
        assertThat(extractor.extract(request()
                .header("Sec-WebSocket-Protocol", "openai-insecure-api-key." + KEY_A)
                .header("Sec-WebSocket-Protocol", KEY_A)))
                .isEqualTo(found(KEY_A));
        assertThat(extractor.extract(request()
                .header("Sec-WebSocket-Protocol", "openai-insecure-api-key." + KEY_A)
                .header("Sec-WebSocket-Protocol", "openai-insecure-api-key." + KEY_B)))
                .satisfies(rejectedWith(RefusalCode.AMBIGUOUS_CREDENTIALS));
    }

    @Test
    void twoKeyEntriesInOneProtocolLineAreAmbiguous() {
        assertThat(extractor.extract(request().header("Sec-WebSocket-Protocol",
                "openai-insecure-api-key." + KEY_A + ", openai-insecure-api-key." + KEY_B)))
                .satisfies(rejectedWith(RefusalCode.AMBIGUOUS_CREDENTIALS));
    }

    @Test
    void theResponsesProtocolBesideAnAuthorizationKeyIsNotASecondKey() {
        // A Responses API WebSocket client sends its key in Authorization and the protocol
        // name responses; taking the name for a second key refused the client as ambiguous.
        assertThat(extractor.extract(request()
                .header("Authorization", "Bearer " + KEY_A)
                .header("Sec-WebSocket-Protocol", "responses")))
                .isEqualTo(found(KEY_A));
    }

    @Test
    void aKeyInTheProtocolAndAnotherInAuthorizationAreAmbiguous() {
        assertThat(extractor.extract(request().header("Authorization", "Bearer " + KEY_A)
                .header("Sec-WebSocket-Protocol",
                        "realtime, openai-insecure-api-key." + KEY_B)))
                .satisfies(rejectedWith(RefusalCode.AMBIGUOUS_CREDENTIALS));
    }

    @Test
    void protocolNamesBesideAuthorizationLeaveItsKey() {
        assertThat(extractor.extract(request().header("Authorization", "Bearer " + KEY_A)
                .header("Sec-WebSocket-Protocol", "realtime")))
                .isEqualTo(found(KEY_A));
    }

    @Test
    void everyQueryValueIsRead() {
        assertThat(extractor.extract(request().query("key", KEY_A).query("key", KEY_B)))
                .satisfies(rejectedWith(RefusalCode.AMBIGUOUS_CREDENTIALS));
        assertThat(extractor.extract(request().query("key", "").query("key", KEY_B)))
                .isEqualTo(found(KEY_B));
    }

    @Test
    void extractRefusesNull() {
        assertThatThrownBy(() -> extractor.extract(null))
                .isInstanceOf(NullPointerException.class).hasMessage("request");
    }

    @Test
    void aFoundKeyPrintsOnlyItsHint() {
        CredentialExtraction extraction = extractor.extract(request().keyIn(
                CredentialSource.AUTHORIZATION, KEY_A));

        assertThat(extraction.toString()).contains("sk-Q1…VvBb");
        assertRevealsNothingOf(extraction.toString().replace("sk-Q1…VvBb", ""), KEY_A);
    }

    private static CredentialExtraction found(String key) {
        return new CredentialExtraction.Found(ApiKey.fromPasted(key));
    }

    private static ThrowingConsumer<CredentialExtraction> rejectedWith(RefusalCode code) {
        return extraction -> assertThat(extraction).isInstanceOfSatisfying(
                CredentialExtraction.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(code));
    }

    /** Asserts that no four consecutive characters of the key body appear in the text. */
    static void assertRevealsNothingOf(String text, String key) {
        String body = key.startsWith("sk-") ? key.substring(3) : key;
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i + 4 <= body.length(); i++) {
            String window = body.substring(i, i + 4).toLowerCase(Locale.ROOT);
            assertThat(lower).as("text must not show '%s' of the key", window)
                    .doesNotContain(window);
        }
    }
}
