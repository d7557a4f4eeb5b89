package dev.doublelock.tls;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

/**
 * Elliptic-curve arithmetic for the JDK's TLS from BouncyCastle's constant-time curve implementations.
 *
 * <p>The JDK's TLS (SunJSSE) asks the JCA for its key exchange ({@code KeyPairGenerator "EC"/"XDH"},
 * {@code KeyAgreement "ECDH"/"XDH"}) and its ECDSA signatures by name, in provider order. On the handshake
 * that every STARTTLS session costs, the JDK's own {@code SunEC} is 2 to 5 times slower than BouncyCastle
 * (measured on this project's 2-core machine, JDK 25: P-256 ECDH 725 vs 177 µs, ECDSA verify 520 vs 93 µs,
 * X25519 key generation and agreement 330 vs 120 µs). This provider offers exactly those services for
 * P-256, P-384, P-521 and X25519 ({@link FastEcSpi}, {@link FastX25519}) and {@link #install()} puts it
 * first. A key on any other curve is refused, so the JCA moves on to SunEC; everything else (AES-GCM,
 * SHA-2, HKDF, RSA, the TLS state machine) stays with the JDK, whose intrinsics are faster there.
 *
 * <p>Installed by the command line for the whole process ({@code doublelock ...}) and for every test JVM;
 * set the system property {@code doublelock.fastEc=false} to keep the JDK's own arithmetic.
 */
public final class FastEc extends Provider {

    public static final String NAME = "DoublelockFastEC";

    public FastEc() {
        super(NAME, "1.0", "ECDH, X25519 and ECDSA for TLS handshakes on BouncyCastle arithmetic");
        service("KeyPairGenerator", "EC", FastEcSpi.KeyPairGenerator.class);
        service("KeyAgreement", "ECDH", FastEcSpi.Ecdh.class);
        service("Signature", "SHA256withECDSA", FastEcSpi.EcdsaSha256.class);
        service("Signature", "SHA384withECDSA", FastEcSpi.EcdsaSha384.class);
        service("Signature", "SHA512withECDSA", FastEcSpi.EcdsaSha512.class);
        service("KeyPairGenerator", "XDH", FastX25519.KeyPairGenerator.class);
        service("KeyPairGenerator", "X25519", FastX25519.KeyPairGenerator.class);
        service("KeyAgreement", "XDH", FastX25519.Agreement.class);
        service("KeyAgreement", "X25519", FastX25519.Agreement.class);
    }

    private void service(String type, String algorithm, Class<?> implementation) {
        putService(new Service(this, type, algorithm, implementation.getName(), List.of(), Map.of()));
    }

    /**
     * Puts the provider first in this JVM's provider list, once; does nothing when the system property
     * {@code doublelock.fastEc} is {@code false}. Returns whether it is installed.
     */
    public static synchronized boolean install() {
        if ("false".equalsIgnoreCase(System.getProperty("doublelock.fastEc"))) {
            return Security.getProvider(NAME) != null;
        }
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new FastEc(), 1);
        }
        return true;
    }
}
