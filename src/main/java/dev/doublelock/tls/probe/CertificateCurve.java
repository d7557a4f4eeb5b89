package dev.doublelock.tls.probe;

import dev.doublelock.tls.NamedGroup;
import dev.doublelock.tls.NamedGroups;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.OptionalInt;

/**
 * The TLS named group of an ECDSA certificate's key (RFC 5480 namedCurve OID → RFC 8422 NamedCurve). At TLS ≤ 1.2
 * a server can use an ECDSA certificate only if its curve is in the client's supported_groups (RFC 8422 §5.1 and
 * §5.3; OpenSSL and JSSE enforce it), which is why group enumeration with ECDHE_ECDSA suites must keep it offered.
 */
final class CertificateCurve {
    private CertificateCurve() {
    }

    /** The leaf's curve as a group code, if the leaf is an EC key on a named curve TLS has a code for. */
    static OptionalInt of(List<java.security.cert.X509Certificate> chain) {
        return chain.isEmpty() ? OptionalInt.empty() : of(chain.getFirst());
    }

    static OptionalInt of(X509Certificate leaf) {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(leaf.getPublicKey().getEncoded());
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())) return OptionalInt.empty();
            ASN1Primitive params = spki.getAlgorithm().getParameters() == null ? null
                    : spki.getAlgorithm().getParameters().toASN1Primitive();
            if (!(params instanceof ASN1ObjectIdentifier oid)) return OptionalInt.empty(); // explicit parameters
            String name = ECNamedCurveTable.getName(oid);
            return name == null ? OptionalInt.empty()
                    : NamedGroups.byName(name).map(NamedGroup::code).map(OptionalInt::of).orElse(OptionalInt.empty());
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
