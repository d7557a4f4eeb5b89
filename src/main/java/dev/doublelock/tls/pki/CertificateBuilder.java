package dev.doublelock.tls.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.security.auth.x500.X500Principal;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Makes one certificate and its key, in the spirit of OkHttp's {@code HeldCertificate.Builder}.
 * Every setter returns a new builder, so a configured builder can be shared and reused. Each
 * {@link #build()} generates a fresh key pair unless {@link #keyPair(KeyPair)} supplied one.
 *
 * <p>Defaults: ECDSA secp256r1 key; subject CN = the first DNS name or IP address; valid from one
 * hour ago for 397 days; self-signed; an end-entity certificate (basicConstraints CA:false, key
 * usage digitalSignature, plus keyEncipherment for RSA keys, EKU serverAuth, SKI, AKI); signature
 * algorithm from the signing key: SHA256withECDSA (P-256), SHA384withECDSA (P-384),
 * SHA512withECDSA (P-521), or RSASSA-PSS with SHA-256 ("SHA256withRSAandMGF1") for RSA, so that
 * nothing it makes by default uses PKCS#1 v1.5.
 */
public final class CertificateBuilder {
    private static final Duration DEFAULT_BACKDATING = Duration.ofHours(1);
    private static final Duration DEFAULT_LIFETIME = Duration.ofDays(397);

    private KeySpec keySpec = new KeySpec.Ec("secp256r1");
    private KeyPair keyPair;
    private X500Name subject;
    private List<String> dnsNames = List.of();
    private List<String> ipAddresses = List.of();
    private Instant notBefore;
    private Instant notAfter;
    private String signatureAlgorithm;
    private CertifiedKey issuer;
    private boolean certificateAuthority;
    private int maxPathLen = -1;
    private boolean opensslReqStyle;
    private String crlUrl;
    private String ocspUrl;
    private BigInteger serialNumber;
    private int leafKeyUsage = -1;
    private KeyPurposeId[] leafPurposes;

    /** A builder with the defaults described above. */
    public CertificateBuilder() {
    }

    private CertificateBuilder copy() {
        CertificateBuilder c = new CertificateBuilder();
        c.keySpec = keySpec;
        c.keyPair = keyPair;
        c.subject = subject;
        c.dnsNames = dnsNames;
        c.ipAddresses = ipAddresses;
        c.notBefore = notBefore;
        c.notAfter = notAfter;
        c.signatureAlgorithm = signatureAlgorithm;
        c.issuer = issuer;
        c.certificateAuthority = certificateAuthority;
        c.maxPathLen = maxPathLen;
        c.opensslReqStyle = opensslReqStyle;
        c.serialNumber = serialNumber;
        c.crlUrl = crlUrl;
        c.ocspUrl = ocspUrl;
        c.leafKeyUsage = leafKeyUsage;
        c.leafPurposes = leafPurposes;
        return c;
    }

    /**
     * A leaf's keyUsage bits ({@link KeyUsage} constants; 0 = no keyUsage extension) and extendedKeyUsage purposes (none
     * = no extendedKeyUsage extension), instead of the default digitalSignature (+ keyEncipherment for RSA) and
     * serverAuth. For certificates that may not serve TLS (the checker's KEY_USAGE_MISMATCH).
     */
    public CertificateBuilder leafUsage(int keyUsageBits, KeyPurposeId... purposes) {
        CertificateBuilder c = copy();
        c.leafKeyUsage = keyUsageBits;
        c.leafPurposes = purposes.clone();
        return c;
    }

    /** Revocation information: a cRLDistributionPoints URL and an authorityInfoAccess OCSP URL (either may be null). */
    public CertificateBuilder revocationUrls(String crl, String ocsp) {
        CertificateBuilder c = copy();
        c.crlUrl = crl;
        c.ocspUrl = ocsp;
        return c;
    }

    /** A fresh RSA key of {@code bits} bits. */
    public CertificateBuilder rsa(int bits) {
        CertificateBuilder c = copy();
        c.keySpec = new KeySpec.Rsa(bits);
        c.keyPair = null;
        return c;
    }

    /** A fresh EC key on the named curve, e.g. {@code "secp256r1"}, {@code "secp384r1"}. */
    public CertificateBuilder ecdsa(String curve) {
        CertificateBuilder c = copy();
        c.keySpec = new KeySpec.Ec(Objects.requireNonNull(curve, "curve"));
        c.keyPair = null;
        return c;
    }

    /** Certify this existing key pair instead of generating one. */
    public CertificateBuilder keyPair(KeyPair pair) {
        CertificateBuilder c = copy();
        c.keyPair = Objects.requireNonNull(pair, "pair");
        return c;
    }

    /**
     * The subject, in one of three forms: OpenSSL's {@code -subj} form {@code /C=DE/O=Example/CN=x}
     * (attributes encoded in the order written); an RFC 4514 string {@code CN=x,O=Example,C=DE} read
     * the way {@link X500Principal} reads it (most specific first); or a bare common name.
     */
    public CertificateBuilder subject(String name) {
        CertificateBuilder c = copy();
        c.subject = parseName(Objects.requireNonNull(name, "name"));
        return c;
    }

    /** The subject as a JDK principal. */
    public CertificateBuilder subject(X500Principal name) {
        CertificateBuilder c = copy();
        c.subject = X500Name.getInstance(name.getEncoded());
        return c;
    }

    /** DNS names for the subjectAltName extension (replaces earlier ones). */
    public CertificateBuilder dnsNames(String... names) {
        CertificateBuilder c = copy();
        c.dnsNames = List.of(names);
        return c;
    }

    /** IP addresses (IPv4 or IPv6 literals) for the subjectAltName extension (replaces earlier ones). */
    public CertificateBuilder ipAddresses(String... addresses) {
        CertificateBuilder c = copy();
        for (String address : addresses) {
            if (!org.bouncycastle.util.IPAddress.isValid(address)) {
                throw new IllegalArgumentException("'" + address + "' is not an IP address literal; put host names in dnsNames(...)");
            }
        }
        c.ipAddresses = List.of(addresses);
        return c;
    }

    /** The validity period; both ends are truncated to whole seconds, as X.509 encodes them. */
    public CertificateBuilder validity(Instant from, Instant until) {
        Instant nb = from.truncatedTo(ChronoUnit.SECONDS);
        Instant na = until.truncatedTo(ChronoUnit.SECONDS);
        if (na.isBefore(nb)) {
            throw new IllegalArgumentException("notAfter " + until + " is before notBefore " + from + "; swap them");
        }
        CertificateBuilder c = copy();
        c.notBefore = nb;
        c.notAfter = na;
        return c;
    }

    /**
     * The JCA name of the signature algorithm the issuer signs with, e.g. {@code SHA256withECDSA},
     * {@code SHA1withRSA}, {@code SHA256withRSA}, {@code SHA256withRSAandMGF1} (RSASSA-PSS).
     */
    public CertificateBuilder signatureAlgorithm(String jcaName) {
        CertificateBuilder c = copy();
        c.signatureAlgorithm = Objects.requireNonNull(jcaName, "jcaName");
        return c;
    }

    /** The issuer that signs; without one the certificate is self-signed. */
    public CertificateBuilder issuer(CertifiedKey signer) {
        CertificateBuilder c = copy();
        c.issuer = Objects.requireNonNull(signer, "signer");
        return c;
    }

    /**
     * Make a CA certificate: basicConstraints critical CA:true with this pathLenConstraint (a
     * negative value means none), key usage critical keyCertSign|cRLSign, no EKU.
     */
    public CertificateBuilder certificateAuthority(int pathLen) {
        CertificateBuilder c = copy();
        c.certificateAuthority = true;
        c.maxPathLen = pathLen;
        return c;
    }

    /**
     * Only the extensions {@code openssl req -x509} adds by default: subjectKeyIdentifier,
     * authorityKeyIdentifier (key id) and basicConstraints critical CA:true; no key usage, no EKU.
     * SANs are added only if given.
     */
    public CertificateBuilder opensslReqStyle() {
        CertificateBuilder c = copy();
        c.opensslReqStyle = true;
        return c;
    }

    /** A fixed serial number instead of 159 random bits (as OpenSSL 3 makes them). */
    public CertificateBuilder serialNumber(BigInteger serial) {
        if (serial.signum() <= 0) throw new IllegalArgumentException("serial numbers must be positive (RFC 5280 4.1.2.2)");
        CertificateBuilder c = copy();
        c.serialNumber = serial;
        return c;
    }

    /**
     * Generates the key (unless given) and signs the certificate. The returned chain is the new
     * certificate followed by the issuer's chain ({@code [new]} when self-signed): for an issuer
     * whose chain is {@code [intermediate]}, that is {@code [leaf, intermediate]}. Use
     * {@link CertifiedKey#withChain} to send a different chain.
     */
    public CertifiedKey build() {
        KeyPair pair = keyPair != null ? keyPair : keySpec.generate();
        X500Name subjectName = subject != null ? subject : defaultSubject();
        X500Name issuerName = issuer == null ? subjectName
                : X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded());
        PublicKey signerPublicKey = issuer == null ? pair.getPublic() : issuer.leaf().getPublicKey();
        Instant from = notBefore != null ? notBefore : Instant.now().minus(DEFAULT_BACKDATING).truncatedTo(ChronoUnit.SECONDS);
        Instant until = notAfter != null ? notAfter : from.plus(DEFAULT_LIFETIME);
        String algorithm = signatureAlgorithm != null ? signatureAlgorithm : defaultSignatureAlgorithm(signerPublicKey);

        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName,
                serialNumber != null ? serialNumber : randomSerial(), Date.from(from), Date.from(until), subjectName,
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
        try {
            addExtensions(builder, pair.getPublic(), signerPublicKey);
            var signer = new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER)
                    .build(issuer == null ? pair.getPrivate() : issuer.privateKey());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            if (issuer != null) chain.addAll(issuer.chain());
            return new CertifiedKey(pair.getPrivate(), chain);
        } catch (OperatorCreationException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot sign with '" + algorithm + "' using a "
                    + signerPublicKey.getAlgorithm() + " key: " + e.getMessage()
                    + "; pick a signature algorithm that matches the issuer's key", e);
        } catch (CertIOException | CertificateException e) {
            throw new IllegalStateException("cannot build certificate for " + subjectName + ": " + e.getMessage(), e);
        }
    }

    private void addExtensions(X509v3CertificateBuilder builder, PublicKey subjectKey, PublicKey signerKey) throws CertIOException {
        Extensions.subjectKeyIdentifier(builder, subjectKey);
        Extensions.authorityKeyIdentifier(builder, issuer == null ? null : issuer.leaf(), signerKey);
        if (opensslReqStyle) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        } else if (certificateAuthority) {
            builder.addExtension(Extension.basicConstraints, true,
                    maxPathLen >= 0 ? new BasicConstraints(maxPathLen) : new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = leafKeyUsage >= 0 ? leafKeyUsage
                    : KeyUsage.digitalSignature | ("RSA".equals(subjectKey.getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
            if (usage != 0) builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            KeyPurposeId[] purposes = leafPurposes != null ? leafPurposes : new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth};
            if (purposes.length > 0) builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
        }
        if (crlUrl != null) {
            GeneralName uri = new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl);
            builder.addExtension(Extension.cRLDistributionPoints, false, new org.bouncycastle.asn1.x509.CRLDistPoint(
                    new org.bouncycastle.asn1.x509.DistributionPoint[]{new org.bouncycastle.asn1.x509.DistributionPoint(
                            new org.bouncycastle.asn1.x509.DistributionPointName(new org.bouncycastle.asn1.x509.GeneralNames(uri)),
                            null, null)}));
        }
        if (ocspUrl != null) {
            builder.addExtension(Extension.authorityInfoAccess, false, new org.bouncycastle.asn1.x509.AuthorityInformationAccess(
                    org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp,
                    new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
        }
        if (!dnsNames.isEmpty() || !ipAddresses.isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(a -> names.add(new GeneralName(GeneralName.iPAddress, a)));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
    }

    private X500Name defaultSubject() {
        String cn = !dnsNames.isEmpty() ? dnsNames.get(0) : !ipAddresses.isEmpty() ? ipAddresses.get(0) : null;
        if (cn == null) {
            throw new IllegalStateException("no subject: call subject(...) or give dnsNames(...) or ipAddresses(...)");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }

    static String defaultSignatureAlgorithm(PublicKey signerKey) {
        return switch (signerKey.getAlgorithm()) {
            case "EC", "ECDSA" -> {
                int bits = ((ECKey) signerKey).getParams().getOrder().bitLength();
                yield bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
            }
            case "RSA" -> "SHA256withRSAandMGF1";
            case "Ed25519", "Ed448", "EdDSA" -> signerKey.getAlgorithm();
            default -> throw new IllegalArgumentException("no default signature algorithm for a "
                    + signerKey.getAlgorithm() + " key; call signatureAlgorithm(...)");
        };
    }

    private static X500Name parseName(String name) {
        String trimmed = name.trim();
        if (trimmed.isEmpty()) throw new IllegalArgumentException("empty subject; give e.g. CN=mail.example.org");
        if (trimmed.startsWith("/")) {
            X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
            for (String part : trimmed.substring(1).split("/")) {
                int eq = part.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("'" + part + "' in subject '" + name + "' is not TYPE=value");
                ASN1ObjectIdentifier type = BCStyle.INSTANCE.attrNameToOID(part.substring(0, eq).trim());
                builder.addRDN(type, part.substring(eq + 1));
            }
            return builder.build();
        }
        if (trimmed.contains("=")) return X500Name.getInstance(new X500Principal(trimmed).getEncoded());
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, trimmed).build();
    }

    private static BigInteger randomSerial() {
        byte[] bytes = new byte[20];
        KeySpec.RANDOM.nextBytes(bytes);
        bytes[0] &= 0x7f;
        BigInteger serial = new BigInteger(1, bytes);
        return serial.signum() == 0 ? BigInteger.ONE : serial;
    }
}
