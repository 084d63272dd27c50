package dev.sentinel.app.config;

import dev.sentinel.domain.SentinelException;

/**
 * Bad configuration: Sentinel does not start. The message names the variable, the value
 * (secrets masked) and what was expected, in one line.
 */
public final class ConfigException extends SentinelException {

    /**
     * Creates an exception.
     *
     * @param message one line naming the variable, the masked value and what was expected
     */
    public ConfigException(String message) {
        super(message);
    }
}
