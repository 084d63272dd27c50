package dev.sentinel.domain.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExemptPathsTest {

    private final ExemptPaths exempt = ExemptPaths.DEFAULT;

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/", "/api/user/self", "/api/usage/token/", "/api/log/token", "/api%2Fuser",
        "/api%2fuser", "/%61pi/status", "/api/./user", "/api/token/../user"
    })
    void newApisDashboardApiIsExempt(String path) {
        assertThat(exempt.isExempt(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/", "/api", "/apis/x", "/API/user", "/v1/chat/completions", "/v1/api/x",
        "/api/../v1/chat/completions", "/api%2F..%2Fv1/x", "/api%2f%2e%2e%2fv1/x",
        "/api/x/../../v1/models", "/api/mj/submit", "/api/mj", "/api/%6Dj/submit/imagine",
        "/api//mj/fetch", "/x/mj/y", "/fast/mj/submit/imagine", "/mj/submit/imagine",
        "//api/user", "/./../api/../v1/chat", ""
    })
    void relayPathsAreNotExempt(String path) {
        assertThat(exempt.isExempt(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/%zz", "/api/%", "/api/%4", "/api/x%", "/api/%g0", "/api%2"})
    void aMalformedEscapeIsNotExempt(String path) {
        assertThat(exempt.isExempt(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/v1/models/../../api/user", "/v1beta/models/..%2F..%2Fapi/x",
        "/v1/models/%2e%2e/%2e%2e/api/x", "/mj/../api/user", "/fast/mj/../../api/user"
    })
    void dotSegmentsCannotClimbFromARelayRouteIntoTheDashboard(String path) {
        // These were exempt because only the normalised path was read, yet New API's router
        // keeps dot segments and hands such paths to a relay catch-all (/v1/models/*path), so
        // an unbound key was relayed without being bound. A path is exempt only when it lies
        // under the prefix both as sent (decoded) and once its dot segments are resolved.
        assertThat(exempt.isExempt(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/%\uff11\uff11", "/api%\uff12F", "/api/%\u0661\u0661"})
    void onlyAsciiHexDigitsMakeAnEscape(String path) {
        // Escapes written with full-width or other non-ASCII digits were decoded as if they
        // were hex, although New API's Go server refuses them as malformed. They are malformed
        // here too, and a malformed path is never exempt.
        assertThat(exempt.isExempt(path)).isFalse();
    }

    @Test
    void noPrefixesMeansNothingIsExempt() {
        ExemptPaths none = new ExemptPaths(List.of());

        assertThat(none.isExempt("/api/")).isFalse();
        assertThat(none.isExempt("/api/user")).isFalse();
        assertThat(none.prefixes()).isEmpty();
    }

    @Test
    void everyPrefixCounts() {
        ExemptPaths two = new ExemptPaths(List.of("/api/", "/dashboard/billing/"));

        assertThat(two.isExempt("/dashboard/billing/usage")).isTrue();
        assertThat(two.isExempt("/api/status")).isTrue();
        assertThat(two.isExempt("/dashboard/other")).isFalse();
    }

    @Test
    void aPrefixMustStartWithASlash() {
        assertThatThrownBy(() -> new ExemptPaths(List.of("api/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'api/'")
                .hasMessageContaining("/api/");
        assertThatThrownBy(() -> new ExemptPaths(List.of("")))
                .isInstanceOf(IllegalArgumentException.class);
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> new ExemptPaths(withNull))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePrefixListIsACopy() {
        List<String> prefixes = new ArrayList<>(List.of("/api/"));
        ExemptPaths copy = new ExemptPaths(prefixes);

        prefixes.add("/v1/");

        assertThat(copy.isExempt("/v1/chat/completions")).isFalse();
        assertThat(copy.prefixes()).containsExactly("/api/");
    }

    @Test
    void nullIsRefusedByName() {
        assertThatThrownBy(() -> exempt.isExempt(null))
                .isInstanceOf(NullPointerException.class).hasMessage("rawPath");
    }
}
