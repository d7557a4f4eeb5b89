package dev.doublelock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RSA test keys made once per build, not once per test JVM (each test class runs in a JVM of its own, and an RSA 3072
 * key costs a second of CPU on a loaded CI machine): a key is kept as PKCS#8 under {@code target/test-rsa-keys/},
 * named by its size and a slot (so a test can ask for two different keys of one size), and read back by every later
 * JVM. For tests where the key is only a key; the key sizes a test is about stay what the test asks for.
 */
public final class TestRsaKeys {
    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();

    private TestRsaKeys() {
    }

    /** The build's RSA key of {@code bits} bits for {@code slot}. */
    public static KeyPair rsa(int bits, String slot) {
        if (!slot.matches("[A-Za-z0-9_-]*")) throw new IllegalArgumentException("slot must be a plain word: " + slot);
        return KEYS.computeIfAbsent(bits + "-" + slot, name -> loadOrMake(bits, name));
    }

    private static KeyPair loadOrMake(int bits, String name) {
        Path dir = Files.isDirectory(Path.of("target")) ? Path.of("target", "test-rsa-keys")
                : Path.of(System.getProperty("java.io.tmpdir"), "doublelock-test-rsa-keys");
        Path file = dir.resolve("rsa-" + name + ".pk8");
        try {
            if (Files.isRegularFile(file)) {
                KeyPair stored = read(Files.readAllBytes(file), bits);
                if (stored != null) return stored;
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            KeyPair made = g.generateKeyPair();
            Files.createDirectories(dir);
            // written whole, then moved into place: a JVM reading at the same time sees the old file or the new one
            Path temp = Files.createTempFile(dir, ".rsa-", ".tmp");
            Files.write(temp, made.getPrivate().getEncoded());
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pair from a PKCS#8 RSA private key, or null if it is not one of {@code bits} bits. */
    private static KeyPair read(byte[] pkcs8, int bits) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (!(rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) instanceof RSAPrivateCrtKey key)) return null;
            if (key.getModulus().bitLength() != bits) return null;
            return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())), key);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // broken or foreign: made anew
        }
    }
}
