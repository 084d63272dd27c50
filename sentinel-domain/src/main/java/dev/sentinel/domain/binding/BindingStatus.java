package dev.sentinel.domain.binding;

/** Whether a bound key may be used at all. */
public enum BindingStatus {
    /** The key is allowed from its rules' networks. */
    ACTIVE,
    /** An admin stopped the key everywhere; it is never archived or bound again. */
    BANNED
}
