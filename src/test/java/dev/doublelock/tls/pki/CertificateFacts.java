package dev.doublelock.tls.pki;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Plain-text facts about a certificate, so tests compare strings instead of digging in ASN.1. */
final class CertificateFacts {
    static final String SHA256_ECDSA = "1.2.840.10045.4.3.2";
    static final String SHA1_RSA = "1.2.840.113549.1.1.5";
    static final String MD5_RSA = "1.2.840.113549.1.1.4";
    static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
    static final String P256 = "secp256r1";

    private CertificateFacts() {
    }

    /** "RSA 3072" or "EC 1.2.840.10045.3.1.7". */
    static String key(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) return "RSA " + rsa.getModulus().bitLength();
        if (key instanceof ECPublicKey ec) {
            try {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(ec.getParams());
                return "EC " + parameters.getParameterSpec(ECGenParameterSpec.class).getName();
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
        return key.getAlgorithm();
    }

    /** "DNS:localhost", "IP:127.0.0.1", ... in certificate order; empty without the extension. */
    static List<String> sans(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            List<String> out = new ArrayList<>();
            if (names == null) return out;
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                out.add(type == 2 ? "DNS:" + name.get(1) : type == 7 ? "IP:" + ip((String) name.get(1)) : type + ":" + name.get(1));
            }
            return out;
        } catch (CertificateParsingException e) {
            throw new AssertionError(e);
        }
    }

    static String ip(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Extension OIDs, critical ones prefixed with "!". */
    static TreeSet<String> extensions(X509Certificate certificate) {
        TreeSet<String> out = new TreeSet<>();
        certificate.getCriticalExtensionOIDs().forEach(oid -> out.add("!" + oid));
        certificate.getNonCriticalExtensionOIDs().forEach(out::add);
        return out;
    }

    static byte[] subjectKeyId(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    static byte[] authorityKeyId(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifierObject().getOctets();
    }

    /** The hash algorithm OID inside RSASSA-PSS parameters. */
    static String pssHash(X509Certificate certificate) {
        return org.bouncycastle.asn1.pkcs.RSASSAPSSparams.getInstance(certificate.getSigAlgParams())
                .getHashAlgorithm().getAlgorithm().getId();
    }
}
