package dev.doublelock.tls;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.jce.spec.ECNamedCurveSpec;

/**
 * The NIST prime curves {@link FastEc} computes on, each held once as BouncyCastle domain parameters.
 * BouncyCastle caches its precomputed multiples of the generator on the generator point object, so every
 * key is mapped onto these shared instances; keys on any other curve are not ours (the JCA then asks the
 * next provider).
 */
final class FastEcKeys {

    /** One curve: its names, the JDK's view of its parameters and BouncyCastle's. */
    record Curve(String name, ECParameterSpec jdk, ECDomainParameters bc) {}

    private static final List<Curve> CURVES = List.of(curve("secp256r1"), curve("secp384r1"), curve("secp521r1"));

    private FastEcKeys() {}

    private static Curve curve(String name) {
        X9ECParameters x9 = CustomNamedCurves.getByName(name);
        var bc = new ECNamedDomainParameters(ECNamedCurveTable.getOID(name), x9);
        ECParameterSpec spec = EC5Util.convertToSpec(x9);
        // named, so that keys made on it encode the curve's OID as X.509 and PKCS#8 require
        ECParameterSpec jdk = new ECNamedCurveSpec(name, spec.getCurve(), spec.getGenerator(), spec.getOrder(),
                BigInteger.valueOf(spec.getCofactor()));
        return new Curve(name, jdk, bc);
    }

    /** The curve a key-generation parameter names or describes, if it is one of ours. */
    static Optional<Curve> curve(AlgorithmParameterSpec params) {
        if (params instanceof ECGenParameterSpec gen) {
            String name = gen.getName().toLowerCase(Locale.ROOT);
            String canonical = switch (name) {
                case "p-256", "prime256v1", "1.2.840.10045.3.1.7" -> "secp256r1";
                case "p-384", "1.3.132.0.34" -> "secp384r1";
                case "p-521", "1.3.132.0.35" -> "secp521r1";
                default -> name;
            };
            return CURVES.stream().filter(c -> c.name.equals(canonical)).findFirst();
        }
        if (params instanceof ECParameterSpec spec) {
            return curve(spec);
        }
        return Optional.empty();
    }

    /** The curve these explicit parameters describe, if they describe one of ours exactly. */
    static Optional<Curve> curve(ECParameterSpec params) {
        if (params == null) {
            return Optional.empty();
        }
        BigInteger order = params.getOrder();
        for (Curve c : CURVES) {
            if (c.jdk.getOrder().equals(order) && c.jdk.getCurve().equals(params.getCurve())
                    && c.jdk.getGenerator().equals(params.getGenerator()) && c.jdk.getCofactor() == params.getCofactor()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    static Curve curveOrThrow(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
        return curve(params).orElseThrow(() -> new InvalidAlgorithmParameterException(
                "only secp256r1, secp384r1 and secp521r1 here: " + params));
    }

    /** A private key as BouncyCastle parameters on the shared curve instance. */
    static ECPrivateKeyParameters privateKey(Key key) throws InvalidKeyException {
        if (!(key instanceof ECPrivateKey priv)) {
            throw new InvalidKeyException("not an EC private key: " + (key == null ? "null" : key.getClass().getName()));
        }
        Curve curve = curve(priv.getParams()).orElseThrow(() -> new InvalidKeyException("curve not handled here"));
        BigInteger s = priv.getS();
        if (s.signum() <= 0 || s.compareTo(curve.bc.getN()) >= 0) {
            throw new InvalidKeyException("EC private key out of range");
        }
        return new ECPrivateKeyParameters(s, curve.bc);
    }

    /** A public key as BouncyCastle parameters on the shared curve instance; rejects points off the curve. */
    static ECPublicKeyParameters publicKey(Key key) throws InvalidKeyException {
        if (!(key instanceof ECPublicKey pub)) {
            throw new InvalidKeyException("not an EC public key: " + (key == null ? "null" : key.getClass().getName()));
        }
        Curve curve = curve(pub.getParams()).orElseThrow(() -> new InvalidKeyException("curve not handled here"));
        try {
            var q = curve.bc.getCurve().createPoint(pub.getW().getAffineX(), pub.getW().getAffineY());
            return new ECPublicKeyParameters(q, curve.bc);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("invalid EC public key: " + e.getMessage(), e);
        }
    }
}
