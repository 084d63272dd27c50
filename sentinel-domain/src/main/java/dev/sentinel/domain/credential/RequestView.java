package dev.sentinel.domain.credential;

import java.util.List;

/**
 * The parts of an HTTP request in which a model API key can travel. The adapter that
 * implements it (a web framework's request) must present every header line and every query
 * value, never only the first, or a second key could slip past the check.
 */
public interface RequestView {

    /**
     * Returns every line of a header, in the order received.
     *
     * @param name the header name, matched ignoring case
     * @return the values as received, possibly empty, never {@code null}
     */
    List<String> headerValues(String name);

    /**
     * Returns every value of a query parameter, decoded as an HTML form is ({@code +} is a
     * space, {@code %XX} a byte of UTF-8).
     *
     * @param name the parameter name, matched exactly
     * @return the decoded values, possibly empty, never {@code null}
     */
    List<String> queryValues(String name);
}
