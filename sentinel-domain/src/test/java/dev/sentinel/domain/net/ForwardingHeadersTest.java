package dev.sentinel.domain.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardingHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "X-Real-IP", "x-real-ip", "X-REAL-IP", "X_Real_IP", "x_real_ip", "X-Real_IP",
        "X-Forwarded-For", "x-forwarded_for", "X_FORWARDED_FOR", "Forwarded", "FORWARDED",
        "CF-Connecting-IP", "cf_connecting_ip", "CF-Connecting-IPv6", "True-Client-IP",
        "true_client_ip", "X-Client-IP", "X-Cluster-Client-IP", "Fastly-Client-IP",
        "X-Original-Forwarded-For", "X-Forwarded", "Forwarded-For", "X-Envoy-External-Address"
    })
    void headersClaimingAClientAddressAreRecognisedInEverySpelling(String name) {
        assertThat(ForwardingHeaders.claimsClientAddress(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Authorization", "Host", "User-Agent", "X-Forwarded-Proto", "X-Forwarded-Host",
        "X-Request-Id", "Content-Type", "X-Real-IP-Extra", "Real-IP"
    })
    void otherHeadersAreLeftAlone(String name) {
        assertThat(ForwardingHeaders.claimsClientAddress(name)).isFalse();
    }

    @Test
    void onlyTheExactNameIsTheTrustedProxysHeader() {
        assertThat(ForwardingHeaders.isRealIp("X-Real-IP")).isTrue();
        assertThat(ForwardingHeaders.isRealIp("x-real-ip")).isTrue();
        assertThat(ForwardingHeaders.isRealIp("X_Real_IP")).isFalse();
        assertThat(ForwardingHeaders.isRealIp("X-Forwarded-For")).isFalse();
    }
}
