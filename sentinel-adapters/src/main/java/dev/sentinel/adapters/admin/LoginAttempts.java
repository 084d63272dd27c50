package dev.sentinel.adapters.admin;

import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Counts admin login attempts per client address, and locks an address out for a while once
 * it has used up its attempts in a window. Every attempt is counted before the password is
 * compared, so a burst of parallel guesses cannot slip past the limit; a successful login
 * clears the count.
 *
 * <p>IPv6 clients are counted per /64, because one host may use any address of its /64.
 *
 * <p>Implementations are thread-safe and never throw: when the shared counter is
 * unreachable they count in-process.
 */
public interface LoginAttempts {

    /**
     * Admits or refuses one attempt, counting it.
     *
     * @param client the client address
     * @return whether the password may be compared
     */
    Admission admit(IpAddress client);

    /**
     * Clears the address's count after a successful login.
     *
     * @param client the client address
     */
    void succeeded(IpAddress client);

    /**
     * Returns what attempts are counted under: the address itself for IPv4, its /64 for
     * IPv6.
     *
     * @param client the client address
     * @return the counted network in canonical form
     */
    static String countedAs(IpAddress client) {
        Objects.requireNonNull(client, "client");
        return Cidr.enclosing(client, client.isV4() ? 32 : 64).toString();
    }

    /** Whether an attempt may go ahead. */
    sealed interface Admission {
    }

    /** The attempt may go ahead. */
    record Admitted() implements Admission {
    }

    /**
     * The address is locked out.
     *
     * @param retryAfter how long until it may try again
     * @param justLocked whether this attempt started the lockout
     */
    record LockedOut(Duration retryAfter, boolean justLocked) implements Admission {
        /** Checks that the wait is present. */
        public LockedOut {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
