package dev.doublelock.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.teletrust.TeleTrusTNamedCurves;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/**
 * What one certificate says about itself, flattened for judgement and reports. No verdicts here.
 *
 * @param index              position in the chain as the server sent it (0 = leaf)
 * @param subject            RFC 2253 subject DN
 * @param issuer             RFC 2253 issuer DN
 * @param keyAlgorithm       RSA, EC, DSA, Ed25519, Ed448 (RSASSA-PSS keys report RSA)
 * @param keyBits            RSA/DSA modulus size, EC group order size, 255/448 for EdDSA
 * @param curve              named curve ("secp256r1", "brainpoolP256r1"), null for non-EC keys
 * @param signatureAlgorithm how the issuer signed this certificate, {@code <HASH>with<SCHEME>}:
 *                           SHA1withRSA, SHA256withECDSA, SHA256withRSASSA-PSS (PSS with its hash), Ed25519
 * @param selfSigned         subject equals issuer and the signature verifies with the certificate's own key
 * @param sha256Fingerprint  lower-case hex SHA-256 of the DER encoding
 */
public record CertificateFacts(int index, String subject, String issuer, Instant notBefore, Instant notAfter,
                               String keyAlgorithm, int keyBits, String curve, String signatureAlgorithm,
                               boolean selfSigned, List<String> dnsNames, List<String> ipAddresses,
                               String sha256Fingerprint, List<String> keyUsage, List<String> extendedKeyUsage,
                               boolean crlDistributionPoints, boolean ocspUrl, boolean embeddedScts) {

    private static final Map<ASN1ObjectIdentifier, String> HASHES = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA1",
            NISTObjectIdentifiers.id_sha224, "SHA224",
            NISTObjectIdentifiers.id_sha256, "SHA256",
            NISTObjectIdentifiers.id_sha384, "SHA384",
            NISTObjectIdentifiers.id_sha512, "SHA512");

    public CertificateFacts {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        keyUsage = List.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
    }

    private static final String[] KEY_USAGE = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
            "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    private static final Map<String, String> EKU = Map.of("1.3.6.1.5.5.7.3.1", "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth",
            "2.5.29.37.0", "anyExtendedKeyUsage", "1.3.6.1.5.5.7.3.4", "emailProtection");

    /** The keyUsage bits set (RFC 5280 §4.2.1.3); empty if the extension is absent. */
    static List<String> keyUsage(X509Certificate cert) {
        boolean[] bits = cert.getKeyUsage();
        List<String> out = new java.util.ArrayList<>();
        if (bits != null) for (int i = 0; i < bits.length && i < KEY_USAGE.length; i++) if (bits[i]) out.add(KEY_USAGE[i]);
        return out;
    }

    /** The extendedKeyUsage purposes by name (OID where unnamed); empty if absent. */
    static List<String> extendedKeyUsage(X509Certificate cert) {
        try {
            List<String> oids = cert.getExtendedKeyUsage();
            return oids == null ? List.of() : oids.stream().map(o -> EKU.getOrDefault(o, o)).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of("unparseable");
        }
    }

    /** True if the authorityInfoAccess extension names an OCSP responder (RFC 5280 §4.2.2.1). */
    static boolean ocspUrl(X509Certificate cert) {
        byte[] v = cert.getExtensionValue("1.3.6.1.5.5.7.1.1");
        if (v == null) return false;
        try {
            org.bouncycastle.asn1.x509.AuthorityInformationAccess aia = org.bouncycastle.asn1.x509.AuthorityInformationAccess
                    .getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(v).getOctets());
            for (org.bouncycastle.asn1.x509.AccessDescription d : aia.getAccessDescriptions()) {
                if (d.getAccessMethod().equals(org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp)) return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Reads the facts of {@code cert}, which sits at {@code index} of the chain as sent. */
    public static CertificateFacts of(int index, X509Certificate cert) {
        PublicKey key = cert.getPublicKey();
        return new CertificateFacts(index,
                cert.getSubjectX500Principal().getName(X500Principal.RFC2253),
                cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
                keyAlgorithm(key), keyBits(key), curve(key), signatureAlgorithm(cert), isSelfSigned(cert),
                HostnameMatcher.sans(cert, 2), HostnameMatcher.sans(cert, 7), fingerprint(cert),
                keyUsage(cert), extendedKeyUsage(cert), cert.getExtensionValue("2.5.29.31") != null, ocspUrl(cert),
                cert.getExtensionValue("1.3.6.1.4.1.11129.2.4.2") != null);
    }

    /** A short label for subjects of findings: "CN=mx.example.org". */
    public String label() {
        return subject.isEmpty() ? "(empty subject)" : subject;
    }

    /** "RSA 2048 bit", "EC 256 bit (secp256r1)". */
    public String keyDescription() {
        return keyAlgorithm + " " + keyBits + " bit" + (curve == null ? "" : " (" + curve + ")");
    }

    /** True if the issuer's signature verifies with the certificate's own key and the names agree. */
    public static boolean isSelfSigned(X509Certificate cert) {
        if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return false;
        }
        try {
            cert.verify(cert.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static String keyAlgorithm(PublicKey key) {
        if (key instanceof RSAPublicKey) return "RSA";
        if (key instanceof ECPublicKey) return "EC";
        if (key instanceof DSAPublicKey) return "DSA";
        if (key instanceof EdECPublicKey ed) return ed.getParams().getName();
        return key.getAlgorithm();
    }

    static int keyBits(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) return rsa.getModulus().bitLength();
        if (key instanceof ECPublicKey ec) return ec.getParams().getOrder().bitLength();
        if (key instanceof DSAPublicKey dsa && dsa.getParams() != null) return dsa.getParams().getP().bitLength();
        if (key instanceof EdECPublicKey ed) return ed.getParams().getName().equalsIgnoreCase("Ed448") ? 448 : 255;
        return 0;
    }

    static String curve(PublicKey key) {
        if (key instanceof EdECPublicKey ed) return ed.getParams().getName();
        if (!(key instanceof ECPublicKey)) return null;
        try {
            var params = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters();
            if (params instanceof ASN1ObjectIdentifier oid) {
                String name = SECNamedCurves.getName(oid);
                if (name == null) name = TeleTrusTNamedCurves.getName(oid);
                if (name == null) name = ECNamedCurveTable.getName(oid);
                return name == null ? oid.getId() : name;
            }
            return "explicit parameters";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    static String signatureAlgorithm(X509Certificate cert) {
        String name = cert.getSigAlgName();
        if (!"RSASSA-PSS".equalsIgnoreCase(name) && !"1.2.840.113549.1.1.10".equals(cert.getSigAlgOID())) {
            return name;
        }
        try {
            byte[] params = cert.getSigAlgParams();
            // RFC 4055: absent hashAlgorithm means SHA-1
            ASN1ObjectIdentifier hash = params == null ? OIWObjectIdentifiers.idSHA1
                    : RSASSAPSSparams.getInstance(ASN1Primitive.fromByteArray(params)).getHashAlgorithm().getAlgorithm();
            return HASHES.getOrDefault(hash, hash.getId()) + "withRSASSA-PSS";
        } catch (Exception e) {
            return "RSASSA-PSS";
        }
    }

    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
