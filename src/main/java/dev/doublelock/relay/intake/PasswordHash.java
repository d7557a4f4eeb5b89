package dev.doublelock.relay.intake;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A stored password: PBKDF2 with HMAC-SHA-256 (RFC 8018 5.2), a random salt and an iteration count,
 * written as {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in unpadded base64). Only the
 * hash is kept in the relay's configuration; {@code doublelock relay hash-password} prints one.
 * Verification compares in constant time.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    public static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Below this a stored hash is refused as too cheap to guess. */
    public static final int MIN_ITERATIONS = 10_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    public PasswordHash {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        salt = salt.clone();
        hash = hash.clone();
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("salt (>= 8 bytes) or hash (>= 16 bytes) too short");
        }
    }

    /** Hashes {@code password} with a fresh salt. */
    public static PasswordHash create(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Reads the stored form.
     *
     * @throws IllegalArgumentException saying what the form must look like
     */
    public static PasswordHash parse(String stored) {
        String[] parts = Objects.requireNonNull(stored, "stored").strip().split("\\$");
        String expected = "expected " + SCHEME + "$ITERATIONS$SALT$HASH as printed by 'doublelock relay hash-password'";
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a password hash: " + expected);
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad iteration count '" + parts[1] + "'; " + expected);
        }
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("iteration count " + iterations + " is below " + MIN_ITERATIONS
                    + ", too cheap to guess; make a new hash with 'doublelock relay hash-password'");
        }
        try {
            return new PasswordHash(iterations, Base64.getDecoder().decode(parts[2]), Base64.getDecoder().decode(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad salt or hash (" + e.getMessage() + "); " + expected);
        }
    }

    /** True if {@code password} hashes to this value; the comparison takes the same time either way. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length));
    }

    /** The stored form. */
    public String encoded() {
        return SCHEME + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public String toString() {
        return SCHEME + "$" + iterations + "$…"; // never print the hash in logs
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }
}
