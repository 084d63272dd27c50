package dev.sentinel.adapters.redis;

import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;

/**
 * The names of Sentinel's keys and channel, all under one prefix.
 *
 * <p>Immutable and thread-safe.
 */
final class RedisKeys {

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** A cached binding. */
    String binding(TokenHash tokenHash) {
        return prefix + "binding:" + tokenHash.hex();
    }

    /** A SCAN pattern that matches every cached binding and nothing else. */
    String bindingPattern() {
        return escapeGlob(prefix + "binding:") + "*";
    }

    /** A network's new bindings in the sliding minute. */
    String bindQuota(Cidr network) {
        return prefix + "bind-quota:" + network;
    }

    /** A key's intercepts in an alert window. */
    String alertCount(TokenHash tokenHash, AlertWindow window) {
        return alert("alert-count:", tokenHash, window);
    }

    /** Addresses a key's intercepts in an alert window came from. */
    String alertAddresses(TokenHash tokenHash, AlertWindow window) {
        return alert("alert-addresses:", tokenHash, window);
    }

    /** Set once a key's alert window has alerted. */
    String alertSent(TokenHash tokenHash, AlertWindow window) {
        return alert("alert-sent:", tokenHash, window);
    }

    private String alert(String kind, TokenHash tokenHash, AlertWindow window) {
        return prefix + kind + tokenHash.hex() + ":" + window.length().toMillis() + ":"
                + window.start().toEpochMilli();
    }

    /** Where evictions are announced. */
    String evictionChannel() {
        return prefix + "binding-evictions";
    }

    /** Escapes the glob characters of a prefix, so that it matches only itself. */
    static String escapeGlob(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
