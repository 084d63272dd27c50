package dev.sentinel.domain.binding;

import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.Cidr;
import dev.sentinel.domain.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A key's binding: the networks it may be used from.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the store's row id; 0 before the row exists. Undoing a first use deletes only
 *         the row with this id, never a later binding of the same key
 * @param tokenHash the key's identity
 * @param hint a display hint of the key, such as {@code sk-ab…wxyz}
 * @param rules the networks the key may be used from; never empty
 * @param status active or banned
 * @param rulesSetByAdmin whether an admin set the rules (such bindings are never archived)
 * @param boundAt when the key was first bound
 * @param lastSeenAt the last allowed use, as far as it has been written
 * @param lastIp the address of that use; empty for a key an admin bound ahead of use,
 *         until its first use
 * @param note an admin's note, empty when none
 * @param revision incremented by every admin change; undoing a first use requires 0
 */
public record Binding(
        long id,
        TokenHash tokenHash,
        String hint,
        List<Cidr> rules,
        BindingStatus status,
        boolean rulesSetByAdmin,
        Instant boundAt,
        Instant lastSeenAt,
        Optional<IpAddress> lastIp,
        String note,
        long revision) {

    /** Checks that nothing is missing and copies the rules. */
    public Binding {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(hint, "hint");
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a binding needs at least one rule");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(boundAt, "boundAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(lastIp, "lastIp");
        Objects.requireNonNull(note, "note");
    }

    /**
     * Describes the binding a key's first use creates, before the store gives it an id.
     *
     * @param tokenHash the key's identity
     * @param hint the key's display hint
     * @param network the client's network at the bind prefix
     * @param client the client address
     * @param at the time of the first use
     * @return an active binding with one rule, id 0 and revision 0
     */
    public static Binding firstUse(TokenHash tokenHash, String hint, Cidr network,
            IpAddress client, Instant at) {
        return new Binding(0, tokenHash, hint, List.of(network), BindingStatus.ACTIVE, false,
                at, at, Optional.of(client), "", 0);
    }

    /** Returns whether some rule contains {@code address}. */
    public boolean allows(IpAddress address) {
        for (Cidr rule : rules) {
            if (rule.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Returns a copy with the store's row id. */
    public Binding withId(long newId) {
        return new Binding(newId, tokenHash, hint, rules, status, rulesSetByAdmin, boundAt,
                lastSeenAt, lastIp, note, revision);
    }
}
