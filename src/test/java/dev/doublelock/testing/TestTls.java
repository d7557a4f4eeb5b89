package dev.doublelock.testing;

import dev.doublelock.tls.PkixTrust;

import javax.net.ssl.SSLContext;
import java.security.cert.X509Certificate;
import java.util.List;

/** SSLContexts for test clients that trust only what the test says. */
public final class TestTls {
    private TestTls() {
    }

    /** A client context whose only trust anchors are the given certificates (PKIX validation, no shortcuts). */
    public static SSLContext trusting(X509Certificate... anchors) {
        return PkixTrust.clientContext(List.of(anchors));
    }
}
