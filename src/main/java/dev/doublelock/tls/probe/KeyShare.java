package dev.doublelock.tls.probe;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/**
 * One TLS 1.3 key_share entry (RFC 8446 §4.2.8): a group and a fresh public key from the JDK. The
 * private half is thrown away: the prober reads only the plaintext ServerHello and never finishes.
 */
record KeyShare(int group, byte[] keyExchange) {
    static final int X25519 = 29;
    static final int SECP256R1 = 23;

    /** A fresh x25519 share (32 raw bytes, RFC 7748). */
    static KeyShare x25519() {
        try {
            byte[] spki = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded();
            return new KeyShare(X25519, Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate X25519 keys (needs Java 11+)", e);
        }
    }

    /** A fresh secp256r1 share (uncompressed point, 65 bytes). */
    static KeyShare secp256r1() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            ECPublicKey pub = (ECPublicKey) g.generateKeyPair().getPublic();
            byte[] out = new byte[65];
            out[0] = 4;
            put32(pub.getW().getAffineX(), out, 1);
            put32(pub.getW().getAffineY(), out, 33);
            return new KeyShare(SECP256R1, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate secp256r1 keys", e);
        }
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }
}
