package dev.sentinel.domain.port;

import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.util.List;

/**
 * Counts intercepts per key in alert windows, shared by every replica (Redis in Sentinel's
 * own adapters), and remembers which windows have alerted already.
 *
 * <p>Implementations must be thread-safe and never throw: without a shared store they count
 * in-process, and then each replica counts and claims on its own.
 */
public interface InterceptCounter {

    /**
     * Counts one intercept of a key in a window.
     *
     * @param tokenHash the key's identity
     * @param clientIp where the intercepted request came from
     * @param window the window it fell in
     * @return the key's intercepts in that window, this one included
     */
    long add(TokenHash tokenHash, IpAddress clientIp, AlertWindow window);

    /**
     * Marks a key's window as alerted.
     *
     * @param tokenHash the key's identity
     * @param window the window
     * @return {@code true} for exactly one caller per key and window across the replicas
     *         sharing this counter; {@code false} for every later one
     */
    boolean claim(TokenHash tokenHash, AlertWindow window);

    /**
     * Returns addresses a key's intercepts in a window came from: a bounded sample, in no
     * particular order, empty when unknown.
     *
     * @param tokenHash the key's identity
     * @param window the window
     * @return the addresses
     */
    List<IpAddress> addresses(TokenHash tokenHash, AlertWindow window);
}
