package dev.sentinel.domain.credential;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns keys into {@link TokenHash}es with a secret, so that a copy of the database is no
 * list of usable keys.
 *
 * <p>Thread-safe. {@link Mac} instances are pooled rather than held per thread, because every
 * request runs on a new virtual thread and a thread-local would cache nothing.
 */
public final class TokenHasher {

    /** The shortest secret accepted: 32 characters. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec keySpec;
    private final ArrayBlockingQueue<Slot> idle = new ArrayBlockingQueue<>(64);

    /**
     * Creates a hasher.
     *
     * @param secret the HMAC secret, at least {@value #MIN_SECRET_LENGTH} characters
     * @throws IllegalArgumentException when the secret is too short (the message does not
     *         repeat it)
     */
    public TokenHasher(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the HMAC secret has " + secret.length()
                    + " characters: expected at least " + MIN_SECRET_LENGTH);
        }
        keySpec = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        idle.offer(new Slot(newMac(keySpec)));
    }

    /**
     * Returns the identity of a key.
     *
     * @param key a canonical key
     * @return its hash
     */
    public TokenHash identify(ApiKey key) {
        Objects.requireNonNull(key, "key");
        String canonical = key.canonical();

        // Every request is hashed: the slot's buffers spare it two arrays each time.
        Slot slot = borrow();
        try {
            byte[] input = slot.input(canonical.length());
            for (int i = 0; i < canonical.length(); i++) {
                // Canonical keys are ASCII letters and digits only.
                input[i] = (byte) canonical.charAt(i);
            }
            slot.mac.update(input, 0, canonical.length());
            slot.mac.doFinal(slot.digest, 0);
            return new TokenHash(HEX.formatHex(slot.digest));
        } catch (ShortBufferException e) {
            throw new IllegalStateException("an HMAC-SHA256 digest is 32 bytes", e);
        } finally {
            idle.offer(slot);
        }
    }

    private Slot borrow() {
        Slot slot = idle.poll();
        return slot != null ? slot : new Slot(newMac(keySpec));
    }

    /** A {@link Mac} with buffers of its own; used by one thread at a time. */
    private static final class Slot {

        private final Mac mac;
        private final byte[] digest;
        private byte[] input = new byte[64];

        Slot(Mac mac) {
            this.mac = mac;
            this.digest = new byte[mac.getMacLength()];
        }

        byte[] input(int length) {
            if (input.length < length) {
                input = new byte[length];
            }
            return input;
        }
    }

    private static Mac newMac(SecretKeySpec keySpec) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(keySpec);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides " + ALGORITHM, e);
        }
    }
}
