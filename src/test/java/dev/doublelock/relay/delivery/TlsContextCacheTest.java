package dev.doublelock.relay.delivery;

import dev.doublelock.policy.transport.ChainAuthentication;

import dev.doublelock.testing.MutableClock;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounds of the relay's TLS context cache, and the fail-closed thread-bound trust manager. */
class TlsContextCacheTest {
    static TlsContextCache.Key key(String endpoint, String policy, ChainAuthentication auth) {
        return new TlsContextCache.Key(policy, "ENFORCE", "enforce", "mx.example.net", endpoint, true, false, auth,
                JudgingTrustManager.Verification.REQUIRED);
    }

    static SSLContext newContext() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, null, null);
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sameKeySharesAContextUntilItsLifetimeEnds() {
        MutableClock clock = MutableClock.now();
        TlsContextCache cache = new TlsContextCache(4, Duration.ofMinutes(10), clock);
        SSLContext a = cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext);
        assertThat(cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext))
                .isSameAs(a);
        clock.advance(Duration.ofMinutes(10));
        assertThat(cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext))
                .isNotSameAs(a);
    }

    @Test
    void anotherPolicyOrAuthenticationNeverGetsTheSameContext() {
        TlsContextCache cache = new TlsContextCache(4, Duration.ofMinutes(10), MutableClock.now());
        SSLContext a = cache.get(key("192.0.2.1:25", "opportunistic@1", ChainAuthentication.PKIX),
                TlsContextCacheTest::newContext);
        assertThat(cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext))
                .isNotSameAs(a);
        ChainAuthentication dane = new ChainAuthentication.Dane("_25._tcp.mx.example.net", java.util.List.of(),
                java.util.List.of("mx.example.net"));
        assertThat(cache.get(key("192.0.2.1:25", "opportunistic@1", dane), TlsContextCacheTest::newContext))
                .isNotSameAs(a);
    }

    @Test
    void leastRecentlyUsedContextIsDroppedBeyondTheBound() {
        TlsContextCache cache = new TlsContextCache(2, Duration.ofMinutes(10), MutableClock.now());
        SSLContext one = cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext);
        cache.get(key("192.0.2.2:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext);
        cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext);
        cache.get(key("192.0.2.3:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext))
                .isSameAs(one);
        cache.forget(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX));
        assertThat(cache.get(key("192.0.2.1:25", "bsi@1", ChainAuthentication.PKIX), TlsContextCacheTest::newContext))
                .isNotSameAs(one);
    }

    @Test
    void aHandshakeWithNoBoundJudgeIsRejected() throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init((java.security.KeyStore) null);
        ThreadBoundTrustManager tm = new ThreadBoundTrustManager(
                (javax.net.ssl.X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[0], "UNKNOWN", (java.net.Socket) null))
                .isInstanceOf(CertificateException.class).hasMessageContaining("no trust decision is bound");
    }
}
