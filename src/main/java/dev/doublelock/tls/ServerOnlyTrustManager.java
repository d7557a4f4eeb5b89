package dev.doublelock.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Base of the project's client-side trust managers: they judge servers only and refuse every client
 * certificate with the same reason. Subclasses implement the three {@code checkServerTrusted} variants and
 * {@link #getAcceptedIssuers()}.
 */
public abstract class ServerOnlyTrustManager extends X509ExtendedTrustManager {
    private final String refusal;

    /** @param refusal why client certificates are refused, e.g. "a probe accepts no clients" */
    protected ServerOnlyTrustManager(String refusal) {
        this.refusal = refusal;
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        throw new CertificateException(refusal);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException(refusal);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException(refusal);
    }
}
