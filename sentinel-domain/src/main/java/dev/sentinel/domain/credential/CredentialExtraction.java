package dev.sentinel.domain.credential;

import dev.sentinel.domain.RefusalCode;
import java.util.Objects;

/** What a request carries by way of model API keys: nothing, one key, or a refusal. */
public sealed interface CredentialExtraction {

    /** The request carries no key; New API answers it as it would any keyless request. */
    record NoCredential() implements CredentialExtraction {
    }

    /**
     * The request carries one key, possibly in several places.
     *
     * @param key the key in canonical form
     */
    record Found(ApiKey key) implements CredentialExtraction {
        /** Checks that the key is present. */
        public Found {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * The request must be refused with 400.
     *
     * @param code {@link RefusalCode#INVALID_API_KEY} or
     *         {@link RefusalCode#AMBIGUOUS_CREDENTIALS}
     * @param detail what was wrong, without any key material
     */
    record Rejected(RefusalCode code, String detail) implements CredentialExtraction {
        /** Checks that the fields are present. */
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
