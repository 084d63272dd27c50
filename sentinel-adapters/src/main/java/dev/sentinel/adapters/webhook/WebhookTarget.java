package dev.sentinel.adapters.webhook;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where alerts go and in which body format. The URL usually carries a secret token, so
 * {@link #toString()} and {@link #describe()} show only its scheme, host and port.
 *
 * <p>Immutable and thread-safe.
 *
 * @param url an absolute {@code http} or {@code https} URL
 * @param format the body format
 */
public record WebhookTarget(URI url, WebhookFormat format) {

    /**
     * Checks the URL.
     *
     * @throws IllegalArgumentException when it is not an absolute http(s) URL
     */
    public WebhookTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("webhook URL " + describe(url)
                    + " is not an absolute http:// or https:// URL");
        }
    }

    /** Returns scheme, host and port only: the rest of a webhook URL is often a secret. */
    public String describe() {
        return describe(url);
    }

    @Override
    public String toString() {
        return "WebhookTarget[" + describe() + ", " + format.value() + "]";
    }

    private static String describe(URI url) {
        return url.getScheme() + "://" + url.getHost()
                + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
    }
}
