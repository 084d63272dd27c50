package dev.sentinel.app.proxy;

/**
 * Which request targets Sentinel forwards. Helidon reads the request line as US-ASCII and
 * turns any other byte into U+FFFD; its client then writes that character back as
 * {@code ?}. A raw byte 0xFF in the path would thus become a query New API reads a key from
 * but Sentinel never saw. Only printable ASCII passes; the path may hold no {@code ?} or
 * {@code #} and the query no {@code #}.
 *
 * <p>Query characters that RFC 3986 wants encoded but browsers send as they are
 * ({@code [ ] { } | ^}) pass, as New API's own server accepts them.
 *
 * <p>Thread-safe: stateless.
 */
final class RequestTarget {

    private RequestTarget() {
    }

    /**
     * Returns whether a target can be forwarded byte for byte.
     *
     * @param rawPath the path as Helidon read it
     * @param rawQuery the query as Helidon read it, empty when none
     * @return whether every character is printable ASCII in its place
     */
    static boolean isForwardable(String rawPath, String rawQuery) {
        return printable(rawPath, true) && printable(rawQuery, false);
    }

    private static boolean printable(String text, boolean path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#' || (path && c == '?')) {
                return false;
            }
        }
        return true;
    }
}
