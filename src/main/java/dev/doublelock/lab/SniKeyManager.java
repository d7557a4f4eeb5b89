package dev.doublelock.lab;

import dev.doublelock.tls.pki.CertifiedKey;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;

/**
 * Server-side key manager that presents the key of the host name the client asked for by SNI (RFC 6066), one
 * {@link CertifiedKey} per name: how one HTTPS listener serves every scenario's {@code mta-sts.<domain>}. A client
 * that sends no SNI, or a name the lab does not serve, gets no certificate (the handshake fails): RFC 8461 §3.3
 * senders send SNI.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final Map<String, CertifiedKey> byHost;

    /** @param byHost host name (lower case, no trailing dot) → key; the name is also the alias */
    SniKeyManager(Map<String, CertifiedKey> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    private String choose(String keyType, SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession session)) return null;
        for (SNIServerName name : session.getRequestedServerNames()) {
            if (!(name instanceof SNIHostName host)) continue;
            String alias = host.getAsciiName().toLowerCase(Locale.ROOT);
            CertifiedKey key = byHost.get(alias);
            return key != null && key.servesKeyType(keyType) ? alias : null;
        }
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return engine == null ? null : choose(keyType, engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return socket instanceof javax.net.ssl.SSLSocket s ? choose(keyType, s.getHandshakeSession()) : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return byHost.keySet().toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        CertifiedKey key = alias == null ? null : byHost.get(alias);
        return key == null ? null : key.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertifiedKey key = alias == null ? null : byHost.get(alias);
        return key == null ? null : key.privateKey();
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
