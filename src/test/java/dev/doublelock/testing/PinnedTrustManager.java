package dev.doublelock.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trusts exactly one expected leaf certificate (pinning, like DANE-EE) and records every chain it is shown.
 * Tests use it to complete handshakes with lab endpoints whose certificates are broken on purpose without
 * trusting anything else. Not a trust-all manager: any other certificate is rejected. It is an
 * {@link X509ExtendedTrustManager} so that JSSE does not wrap it in its own certificate algorithm checks, which
 * refuse an MD5-signed leaf (lab profile md5-signature) before the pin is even consulted.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final X509Certificate pinned;
    private final List<List<X509Certificate>> seen = new ArrayList<>();

    public PinnedTrustManager(X509Certificate pinned) {
        this.pinned = pinned;
    }

    public static SSLContext context(X509Certificate pinned) throws GeneralSecurityException {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {new PinnedTrustManager(pinned)}, null);
        return c;
    }

    @Override
    public synchronized void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        seen.add(Arrays.asList(chain));
        if (chain.length == 0 || !chain[0].equals(pinned)) {
            throw new CertificateException("not the pinned certificate: " + (chain.length == 0 ? "empty chain"
                    : chain[0].getSubjectX500Principal()));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not expected");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    public synchronized List<List<X509Certificate>> seen() {
        return List.copyOf(seen);
    }
}
