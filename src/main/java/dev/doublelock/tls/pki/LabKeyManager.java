package dev.doublelock.tls.pki;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Server-side key manager with exactly one key and chain, under {@link CertifiedKey#ALIAS}. It
 * ignores the client's list of acceptable issuers on purpose: a lab server presents its
 * certificate whatever the client trusts. It never acts as a client.
 */
final class LabKeyManager extends X509ExtendedKeyManager {
    private final CertifiedKey key;

    LabKeyManager(CertifiedKey key) {
        this.key = key;
    }

    private boolean serves(String keyType) {
        return key.servesKeyType(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return serves(keyType) ? new String[] {CertifiedKey.ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return serves(keyType) ? CertifiedKey.ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return serves(keyType) ? CertifiedKey.ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return CertifiedKey.ALIAS.equals(alias) ? key.chain().toArray(X509Certificate[]::new) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return CertifiedKey.ALIAS.equals(alias) ? key.privateKey() : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
