package dev.sentinel.domain.credential;

import static dev.sentinel.domain.credential.CredentialExtractorTest.KEY_A;
import static dev.sentinel.domain.credential.CredentialExtractorTest.assertRevealsNothingOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTest {

    @Test
    void theCanonicalKeyIsTheTokenPartInLowerCase() {
        assertThat(ApiKey.fromPasted("sk-AbC123-7").canonical()).isEqualTo("abc123");
        assertThat(ApiKey.fromPasted(" AbC123 ").canonical()).isEqualTo("abc123");
        assertThat(ApiKey.fromPasted("sk-sk-AbC").canonical()).isEqualTo("sk");
    }

    @Test
    void spellingsOfOneTokenAreEqual() {
        ApiKey key = ApiKey.fromPasted("sk-AbC123");

        for (String spelling : new String[] {"AbC123", "sk-abc123", "sk-ABC123-9", "abc123-"}) {
            ApiKey other = ApiKey.fromPasted(spelling);
            assertThat(other).isEqualTo(key).hasSameHashCodeAs(key);
            assertThat(other.sameTokenAs(key)).isTrue();
        }
        assertThat(ApiKey.fromPasted("AbC124")).isNotEqualTo(key);
        assertThat(ApiKey.fromPasted("AbC124").sameTokenAs(key)).isFalse();
    }

    @Test
    void toStringShowsOnlyTheHint() {
        ApiKey key = ApiKey.fromPasted(KEY_A);

        assertThat(key).hasToString("ApiKey[sk-Q1…VvBb]");
        assertRevealsNothingOf(key.toString().replace("sk-Q1…VvBb", ""), KEY_A);
    }

    @ParameterizedTest
    @CsvSource({
        "sk-Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLlZzXxCcVvBb, sk-Q1…VvBb",
        "sk-abcdefghijklmnop, sk-ab…mnop",
        "sk-abcdefghijklmno, sk-…no",
        "sk-abcdefgh, sk-…gh",
        "sk-abcdefg, sk-…",
        "sk-a, sk-…",
        "sk-abcdefghijklmnop-5, sk-ab…mnop"
    })
    void theHintShowsLessOfShortKeys(String key, String hint) {
        assertThat(ApiKey.fromPasted(key).hint()).isEqualTo(hint);
    }

    @Test
    void aHintNeverRevealsMoreThanSixCharacters() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int length = 1; length <= alphabet.length(); length++) {
            String key = alphabet.substring(0, length);
            String hint = ApiKey.fromPasted(key).hint();
            String shown = hint.substring(3).replace("…", "");

            assertThat(hint).as("hint of a %d-character key", length).startsWith("sk-");
            assertThat(shown.length()).as("characters shown of %d", length)
                    .isLessThanOrEqualTo(6)
                    .isLessThanOrEqualTo(length < 16 ? 2 : 6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "sk-", "sk-ab_cd", "sk-caf\u00e9", "ab cd", "-abc"})
    void aPastedValueThatIsNoKeyIsRefusedWithoutRepeatingIt(String pasted) {
        assertThatThrownBy(() -> ApiKey.fromPasted(pasted))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the pasted value is not a model API key: expected sk- followed "
                        + "by ASCII letters and digits");
    }

    @Test
    void aLongPastedSecretIsNotEchoed() {
        String pasted = KEY_A + "_";

        assertThatThrownBy(() -> ApiKey.fromPasted(pasted))
                .satisfies(e -> assertRevealsNothingOf(e.getMessage(), KEY_A));
    }

    @Test
    void fromPastedRefusesNull() {
        assertThatThrownBy(() -> ApiKey.fromPasted(null))
                .isInstanceOf(NullPointerException.class).hasMessage("pasted");
    }
}
