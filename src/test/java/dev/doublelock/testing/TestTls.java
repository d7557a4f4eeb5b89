package dev.doublelock.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/** SSLContexts for test clients that trust only what the test says. */
public final class TestTls {
    private TestTls() {
    }

    /** A client context whose only trust anchors are the given certificates (PKIX validation, no shortcuts). */
    public static SSLContext trusting(X509Certificate... anchors) throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < anchors.length; i++) ks.setCertificateEntry("anchor" + i, anchors[i]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
