package dev.doublelock.tls.probe;

import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome.Status;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The prober against real JSSE servers on loopback. */
class TlsProberJsseTest {
    static TestCertificates certs;

    @BeforeAll
    static void pki() {
        certs = TestCertificates.rsa("localhost");
    }

    static TlsProber prober() {
        return new TlsProber(ProbeOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)));
    }

    static ProbeTarget target(JsseTestServer s, Transport t) {
        return new ProbeTarget(s.address(), t, "localhost");
    }

    @Test
    void tls12And13Server_versionsSuitesGroupsAndOrderFound() throws Exception {
        try (JsseTestServer s = new JsseTestServer(certs.serverContext(), JsseTestServer.Front.TLS,
                new String[]{"TLSv1.2", "TLSv1.3"},
                new String[]{"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
                new String[]{"secp384r1", "x25519", "ffdhe3072"})) {
            ServerObservation o = prober().probe(target(s, Transport.PLAIN_TLS));

            assertThat(o.startTls().status()).isEqualTo(Status.ESTABLISHED);
            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_3))
                    .containsExactlyInAnyOrder("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
            // JSSE enforces its own order by default: the list comes back in the server's order
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_2)).containsExactly(
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
            assertThat(o.serverOrderEnforced()).containsEntry(TlsVersion.TLS_1_2, true);
            // ffdhe2048: when no offered FFDHE group is acceptable, SunJSSE falls back to its default DHE
            // parameters, which are the RFC 7919 ffdhe2048 prime; the prober reports the group actually used
            assertThat(o.acceptedGroups()).containsExactlyInAnyOrder("secp384r1", "x25519", "ffdhe3072", "ffdhe2048");
            assertThat(o.minDhBits()).contains(2048);
            assertThat(o.chain()).containsExactly(certs.certificate());
            assertThat(o.secureRenegotiation()).contains(true);
            assertThat(o.extendedMasterSecret()).contains(true);
            assertThat(o.encryptThenMac()).contains(false); // SunJSSE does not implement RFC 7366
            assertThat(o.compression()).contains(false);
            assertThat(o.heartbeat()).contains(false);
            assertThat(o.untested()).isEmpty();
        }
    }

    @Test
    void tls13OnlyServer_chainCapturedThroughJsse() throws Exception {
        try (JsseTestServer s = new JsseTestServer(certs.serverContext(), JsseTestServer.Front.TLS,
                new String[]{"TLSv1.3"}, null, new String[]{"x25519", "secp256r1"})) {
            ServerObservation o = prober().probe(target(s, Transport.PLAIN_TLS));

            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_3);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_3)).contains("TLS_AES_128_GCM_SHA256");
            assertThat(o.acceptedGroups()).containsExactlyInAnyOrder("x25519", "secp256r1");
            assertThat(o.chain()).containsExactly(certs.certificate());
            assertThat(o.secureRenegotiation()).isEmpty();
            assertThat(o.untested()).isEmpty();
        }
    }

    @Test
    void smtpStartTls_tls13Only_chainCapturedOverStartTls() throws Exception {
        try (JsseTestServer s = new JsseTestServer(certs.serverContext(), JsseTestServer.Front.SMTP,
                new String[]{"TLSv1.3"}, null, new String[]{"x25519"})) {
            ServerObservation o = prober().probe(target(s, Transport.SMTP_STARTTLS));

            assertThat(o.startTls().status()).isEqualTo(Status.ESTABLISHED);
            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_3);
            assertThat(o.acceptedGroups()).containsExactly("x25519");
            assertThat(o.chain()).containsExactly(certs.certificate());
            assertThat(o.untested()).isEmpty();
        }
    }

    @Test
    void smtpStartTls_tls12_suitesAndChainFromPlaintextHandshake() throws Exception {
        try (JsseTestServer s = new JsseTestServer(certs.serverContext(), JsseTestServer.Front.SMTP,
                new String[]{"TLSv1.2"}, new String[]{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}, new String[]{"x25519"})) {
            ServerObservation o = prober().probe(target(s, Transport.SMTP_STARTTLS));

            assertThat(o.startTls().status()).isEqualTo(Status.ESTABLISHED);
            assertThat(o.acceptedSuites()).containsOnlyKeys(TlsVersion.TLS_1_2);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_2)).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            assertThat(o.acceptedGroups()).containsExactly("x25519");
            assertThat(o.chain()).containsExactly(certs.certificate());
            assertThat(o.untested()).isEmpty();
        }
    }

    @Test
    void smtpWithoutStartTls_notOffered() throws Exception {
        try (JsseTestServer s = new JsseTestServer(certs.serverContext(), JsseTestServer.Front.SMTP_NO_STARTTLS,
                new String[]{"TLSv1.3"}, null, null)) {
            ServerObservation o = prober().probe(target(s, Transport.SMTP_STARTTLS));

            assertThat(o.startTls().status()).isEqualTo(Status.NOT_OFFERED);
            assertThat(o.acceptedSuites()).isEmpty();
            assertThat(o.untested()).isNotEmpty();
        }
    }

    @Test
    void smtpStartTlsAnswered454_refusedWithTheReply() throws Exception {
        try (JsseTestServer s = new JsseTestServer(certs.serverContext(), JsseTestServer.Front.SMTP_REFUSE,
                new String[]{"TLSv1.3"}, null, null)) {
            ServerObservation o = prober().probe(target(s, Transport.SMTP_STARTTLS));

            assertThat(o.startTls().status()).isEqualTo(Status.REFUSED);
            assertThat(o.startTls().detail()).startsWith("454 4.7.0 TLS not available");
            assertThat(o.acceptedSuites()).isEmpty();
        }
    }

    @Test
    void nothingListening_unreachable() throws Exception {
        java.net.InetSocketAddress closed;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), ss.getLocalPort());
        }
        ServerObservation o = prober().probe(new ProbeTarget(closed, Transport.SMTP_STARTTLS, "mx.example.org"));

        assertThat(o.startTls().status()).isEqualTo(Status.UNREACHABLE);
        assertThat(o.untested()).isNotEmpty();
    }
}
