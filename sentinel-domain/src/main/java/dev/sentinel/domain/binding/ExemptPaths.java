package dev.sentinel.domain.binding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Path prefixes on which an unbound key is passed through without being bound (by default
 * {@code /api/}, New API's dashboard API, where keys are read but not spent). A bound key is
 * enforced on them all the same.
 *
 * <p>Paths are matched after percent-decoding, as New API's router sees them, and must lie
 * under a prefix both as decoded and with their dot segments resolved: New API's router keeps
 * dot segments, so {@code /v1/models/../../api/x} reaches a relay catch-all there even though
 * it resolves to {@code /api/x}. A path with a {@code mj} segment is never exempt, because New
 * API routes {@code /<anything>/mj/...} as Midjourney relay.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExemptPaths {

    /** The default: New API's dashboard API. */
    public static final ExemptPaths DEFAULT = new ExemptPaths(List.of("/api/"));

    private final List<String> prefixes;

    /**
     * Creates the exemption list.
     *
     * @param prefixes path prefixes, each starting with {@code /}
     * @throws IllegalArgumentException when a prefix does not start with {@code /}
     */
    public ExemptPaths(List<String> prefixes) {
        Objects.requireNonNull(prefixes, "prefixes");
        for (String prefix : prefixes) {
            if (prefix == null || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("exempt path '" + prefix
                        + "' does not start with '/': expected a path prefix such as /api/");
            }
        }
        this.prefixes = List.copyOf(prefixes);
    }

    /** Returns the prefixes. */
    public List<String> prefixes() {
        return prefixes;
    }

    /**
     * Returns whether a request path may not create a binding.
     *
     * @param rawPath the path as sent, still percent-encoded, without the query
     * @return whether an unbound key is passed through unbound
     */
    public boolean isExempt(String rawPath) {
        Objects.requireNonNull(rawPath, "rawPath");
        if (prefixes.isEmpty()) {
            return false;
        }
        String decoded = percentDecode(rawPath);
        String resolved = decoded == null ? null : resolveDotSegments(decoded);

        // A path we cannot read is not exempt: binding is the safe side.
        if (resolved == null) {
            return false;
        }

        // New API routes any path with an mj segment as relay, before or after dot segments.
        if (hasMidjourneySegment(decoded) || hasMidjourneySegment(resolved)) {
            return false;
        }

        // Routers disagree on dot segments, so both readings must be under the prefix.
        for (String prefix : prefixes) {
            if (decoded.startsWith(prefix) && resolved.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Resolves {@code .} and {@code ..} segments; {@code null} unless absolute. */
    private static String resolveDotSegments(String decoded) {
        if (!decoded.startsWith("/")) {
            return null;
        }
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = decoded.substring(1).split("/", -1);
        for (String part : parts) {
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(part);
        }
        boolean trailingSlash = decoded.endsWith("/") || decoded.endsWith("/.")
                || decoded.endsWith("/..");
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        if (path.length() == 0 || (trailingSlash && path.charAt(path.length() - 1) != '/')) {
            path.append('/');
        }
        return path.toString();
    }

    private static boolean hasMidjourneySegment(String path) {
        for (String segment : path.split("/")) {
            if (segment.equals("mj")) {
                return true;
            }
        }
        return false;
    }

    private static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= raw.length()) {
                return null;
            }
            int high = asciiHexDigit(raw.charAt(i + 1));
            int low = asciiHexDigit(raw.charAt(i + 2));
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write((high << 4) | low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** {@link Character#digit} would also take full-width and other Unicode digits. */
    private static int asciiHexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
