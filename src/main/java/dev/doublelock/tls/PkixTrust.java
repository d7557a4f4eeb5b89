package dev.doublelock.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;

/** The JDK's PKIX validation against exactly the anchors given (no shortcuts, no trust-all). */
public final class PkixTrust {
    private PkixTrust() {
    }

    /** A PKIX trust manager whose only anchors are {@code anchors}. */
    public static X509ExtendedTrustManager trustManager(Collection<X509Certificate> anchors) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : anchors) {
                ks.setCertificateEntry("anchor" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) return x;
            }
            throw new IllegalStateException("the JDK's PKIX TrustManagerFactory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the trust anchors: " + e.getMessage(), e);
        }
    }

    /** A client SSLContext that validates servers against exactly {@code anchors}. */
    public static SSLContext clientContext(Collection<X509Certificate> anchors) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {trustManager(anchors)}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up a TLS client context: " + e.getMessage(), e);
        }
    }
}
