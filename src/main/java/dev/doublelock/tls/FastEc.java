package dev.doublelock.tls;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

/**
 * Elliptic-curve arithmetic for the JDK's TLS from BouncyCastle's constant-time custom curves.
 *
 * <p>The JDK's TLS (SunJSSE) asks the JCA for its key agreement ({@code KeyPairGenerator "EC"},
 * {@code KeyAgreement "ECDH"}) and its ECDSA signatures by name, in provider order. On the P-256
 * handshakes that every STARTTLS session costs, the JDK's own {@code SunEC} is 2 to 5 times slower than
 * BouncyCastle's {@code SecP256R1} field arithmetic (measured: ECDH 725 vs 177 µs, ECDSA verify 520 vs
 * 93 µs). This provider offers exactly those services, backed by BouncyCastle's implementation classes,
 * and {@link #install()} puts it first. Everything else (AES-GCM, SHA-2, HKDF, RSA, X25519, the TLS
 * state machine) stays with the JDK, whose intrinsics are faster. Keys cross freely: both sides accept
 * any {@code java.security.interfaces.EC*Key}.
 *
 * <p>Installed by the command line for the whole process ({@code doublelock ...}); set the system
 * property {@code doublelock.fastEc=false} to keep the JDK's own arithmetic.
 */
public final class FastEc extends Provider {

    public static final String NAME = "DoublelockFastEC";

    public FastEc() {
        super(NAME, "1.0", "ECDH and ECDSA for TLS handshakes, BouncyCastle arithmetic");
        service("KeyPairGenerator", "EC", FastEcSpi.KeyPairGenerator.class);
        service("KeyAgreement", "ECDH", FastEcSpi.Ecdh.class);
        service("Signature", "SHA256withECDSA", FastEcSpi.EcdsaSha256.class);
        service("Signature", "SHA384withECDSA", FastEcSpi.EcdsaSha384.class);
        service("Signature", "SHA512withECDSA", FastEcSpi.EcdsaSha512.class);
    }

    private void service(String type, String algorithm, Class<?> implementation) {
        putService(new Service(this, type, algorithm, implementation.getName(), List.of(),
                Map.of("SupportedKeyClasses", "java.security.interfaces.ECPublicKey|java.security.interfaces.ECPrivateKey")));
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

    /** Whether the provider is installed in this JVM. */
    public static boolean installed() {
        return Security.getProvider(NAME) != null;
    }
}
