package dev.sentinel.domain.port;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;

/**
 * Remembers each key's last allowed use, for archiving idle bindings and for admins.
 *
 * <p>Called on every allowed request, so implementations must be cheap and thread-safe and
 * write in batches, never once per request; they must never throw.
 */
public interface LastSeenRecorder {

    /**
     * Notes an allowed use.
     *
     * @param tokenHash the key's identity
     * @param clientIp the address it was used from
     * @param at when
     */
    void allowed(TokenHash tokenHash, IpAddress clientIp, Instant at);
}
