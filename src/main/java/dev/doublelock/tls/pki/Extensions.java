package dev.doublelock.tls.pki;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/** Key identifier extensions, computed the way OpenSSL's "hash" does (SHA-1 of the key bits). */
final class Extensions {
    private Extensions() {
    }

    private static JcaX509ExtensionUtils utils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1 digest for key identifiers", e);
        }
    }

    static void subjectKeyIdentifier(X509v3CertificateBuilder builder, PublicKey key) throws CertIOException {
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils().createSubjectKeyIdentifier(key));
    }

    /**
     * AKI with only a key id: the issuer's own SKI if it has one (so they match byte for byte),
     * else computed from its key. {@code issuer == null} means self-signed.
     */
    static void authorityKeyIdentifier(X509v3CertificateBuilder builder, X509Certificate issuer, PublicKey issuerKey)
            throws CertIOException {
        byte[] keyId = null;
        if (issuer != null) {
            byte[] ext = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            if (ext != null) {
                keyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
            }
        }
        if (keyId == null) keyId = utils().createSubjectKeyIdentifier(issuerKey).getKeyIdentifier();
        builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId));
    }
}
