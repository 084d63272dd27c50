package dev.sentinel.domain.binding;

/** Why a bound key was stopped. */
public enum InterceptReason {
    /** The client address lies in none of the binding's networks. */
    OUTSIDE_BOUND_NETWORKS("outside_bound_networks"),
    /** An admin banned the key. */
    BANNED("banned");

    private final String code;

    InterceptReason(String code) {
        this.code = code;
    }

    /** Returns the stable code written to the intercept log. */
    public String code() {
        return code;
    }

    /**
     * Finds a reason by its code.
     *
     * @param code a value of {@link #code()}
     * @return the reason
     * @throws IllegalArgumentException when no reason has that code
     */
    public static InterceptReason ofCode(String code) {
        for (InterceptReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not an intercept reason: "
                + "expected outside_bound_networks or banned");
    }
}
