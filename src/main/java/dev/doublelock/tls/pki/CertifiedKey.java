package dev.doublelock.tls.pki;

import javax.net.ssl.X509ExtendedKeyManager;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with the certificate chain a server sends for it, leaf first. The chain holds
 * what goes on the wire; it may or may not end with a root (see {@link LabCertificate} for what
 * each lab certificate sends).
 *
 * @param privateKey the key of {@link #leaf()}
 * @param chain      leaf first, then the certificates a server sends with it; never empty
 */
public record CertifiedKey(PrivateKey privateKey, List<X509Certificate> chain) {

    /** The alias under which {@link #keyManager()} serves this key. */
    public static final String ALIAS = "lab";

    public CertifiedKey {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certified key needs at least its own certificate in the chain");
        }
    }

    /** The end-entity (or, for an issuer, the CA) certificate: {@code chain.get(0)}. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The same key with a different chain, e.g. the leaf alone to leave out an intermediate. */
    public CertifiedKey withChain(List<X509Certificate> newChain) {
        return new CertifiedKey(privateKey, newChain);
    }

    /**
     * Whether this key serves a key manager's {@code keyType}: SunJSSE asks "EC", "RSA", "RSASSA-PSS"; some providers
     * append the signer, e.g. "EC_EC".
     */
    public boolean servesKeyType(String keyType) {
        if (keyType == null) return false;
        String type = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
        return type.equalsIgnoreCase(leaf().getPublicKey().getAlgorithm());
    }

    /**
     * A key manager that serves exactly this key and chain under the alias {@value #ALIAS}, for
     * any client, and only for key types that match the key (so an EC key is not offered for an
     * RSA-only cipher suite). Works for both {@code SSLSocket} and {@code SSLEngine}.
     */
    public X509ExtendedKeyManager keyManager() {
        return new LabKeyManager(this);
    }
}
