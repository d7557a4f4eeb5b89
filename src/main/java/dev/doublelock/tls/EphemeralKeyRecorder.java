package dev.doublelock.tls;

import javax.crypto.interfaces.DHPublicKey;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sees the server's ephemeral key-exchange key of ONE client handshake, so that a live session can be judged
 * for its group or DH size like the prober's observation (JSSE does not expose the negotiated group).
 *
 * <p>Set on the client socket's {@code SSLParameters} ({@link #wrapping}); SunJSSE then asks it
 * {@code permits({KEY_AGREEMENT}, key)} with the server's public key share: in TLS 1.3 when the ServerHello's
 * key_share arrives (before the Certificate), in TLS 1.2 when the ServerKeyExchange arrives (after the
 * Certificate, so after the trust manager ran). Measured on JDK 25 against OpenSSL 3.0: exactly one such call
 * per full handshake, with a {@code DHPublicKey} (DHE and TLS 1.3 ffdhe), an {@code ECPublicKey} (ECDHE over
 * a NIST curve) or an {@code XECPublicKey} (x25519/x448). The certificate keys and signatures are checked with
 * the SIGNATURE primitive (PKIX, CertificateVerify, ServerKeyExchange signature) and are not recorded; nor are
 * the algorithm-name queries JSSE makes while building its ClientHello.
 *
 * <p>Never permits more than the delegate, which is the constraint the socket had before (JSSE's own, from
 * {@code jdk.tls.disabledAlgorithms}; JSSE applies that list in addition anyway): this is an observer, not a
 * relaxation. One instance per handshake; thread-safe reads after the handshake.
 */
public final class EphemeralKeyRecorder implements AlgorithmConstraints {
    /** What the server's key share showed: the group's IANA name where it has one, and the DH prime size. */
    public record KeyExchange(Optional<String> group, Optional<Integer> dhBits) {
        public static final KeyExchange UNKNOWN = new KeyExchange(Optional.empty(), Optional.empty());
    }

    private static final Map<String, String> CURVE_OIDS = Map.ofEntries(
            Map.entry("1.2.840.10045.3.1.1", "secp192r1"), Map.entry("1.3.132.0.33", "secp224r1"),
            Map.entry("1.3.132.0.10", "secp256k1"), Map.entry("1.2.840.10045.3.1.7", "secp256r1"),
            Map.entry("1.3.132.0.34", "secp384r1"), Map.entry("1.3.132.0.35", "secp521r1"),
            Map.entry("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"), Map.entry("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
            Map.entry("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"));

    private final AlgorithmConstraints delegate;
    private volatile KeyExchange seen = KeyExchange.UNKNOWN;

    private EphemeralKeyRecorder(AlgorithmConstraints delegate) {
        this.delegate = delegate;
    }

    /** A recorder that decides exactly as {@code current} does (null: as JSSE's defaults alone do). */
    public static EphemeralKeyRecorder wrapping(AlgorithmConstraints current) {
        return new EphemeralKeyRecorder(current instanceof EphemeralKeyRecorder r ? r.delegate : current);
    }

    /** The server's key exchange as seen so far in this handshake; {@link KeyExchange#UNKNOWN} before its key share. */
    public KeyExchange keyExchange() {
        return seen;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
        return delegate == null || delegate.permits(primitives, algorithm, parameters);
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
        boolean permitted = delegate == null || delegate.permits(primitives, key);
        if (primitives.contains(CryptoPrimitive.KEY_AGREEMENT)) {
            describe(key).ifPresent(k -> seen = k);
        }
        return permitted;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
        return delegate == null || delegate.permits(primitives, algorithm, key, parameters);
    }

    /** The group (and DH size) of an ephemeral public key; empty for keys that are not key-exchange shares. */
    static Optional<KeyExchange> describe(Key key) {
        if (key instanceof DHPublicKey dh) {
            return Optional.of(new KeyExchange(Optional.empty(), Optional.of(dh.getParams().getP().bitLength())));
        }
        if (key instanceof XECPublicKey x && x.getParams() instanceof NamedParameterSpec n) {
            return Optional.of(new KeyExchange(Optional.of(n.getName().toLowerCase(Locale.ROOT)), Optional.empty()));
        }
        if (key instanceof ECPublicKey ec) {
            return Optional.of(new KeyExchange(Optional.of(curveName(ec.getParams())), Optional.empty()));
        }
        return Optional.empty();
    }

    /** The IANA name of a named curve, or "EC-N-bit" for a curve this table does not know. */
    static String curveName(ECParameterSpec spec) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(spec);
            String id = p.getParameterSpec(ECGenParameterSpec.class).getName();
            String name = CURVE_OIDS.get(id);
            if (name != null) {
                return name;
            }
            Optional<NamedGroup> g = NamedGroups.byName(id);
            if (g.isPresent()) {
                return g.get().name();
            }
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            // unnamed or unknown curve: described by its size below
        }
        return "EC-" + spec.getCurve().getField().getFieldSize() + "-bit";
    }
}
