package dev.doublelock.tls.probe;

import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome.Status;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.probe.ClientHelloWriter.Bytes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The prober against a scripted TLS 1.0 server that answers with hand-built records. */
class TlsProberCannedTest {
    static final TestCertificates CERTS = TestCertificates.rsa("legacy.example");
    static final int RSA_AES128_SHA = 0x002F, RSA_3DES_SHA = 0x000A, RSA_RC4_MD5 = 0x0004;

    /** Accepts only TLS 1.0 and three suites, in its own order; sends renegotiation_info. */
    static byte[] tls10Server(int version, List<Integer> offered) {
        if (version != 0x0301) return CannedTlsServer.alert(0x0301, 70);
        byte[] reneg = new Bytes().ext(0xFF01, new byte[]{0}).toByteArray();
        for (int suite : List.of(RSA_AES128_SHA, RSA_3DES_SHA, RSA_RC4_MD5)) {
            if (offered.contains(suite)) return CannedTlsServer.flight(0x0301, suite, reneg, CERTS.certificate());
        }
        return CannedTlsServer.alert(0x0301, 40);
    }

    @Test
    void tls10OnlyServer_versionSuitesOrderChainAndRenegotiationFound() throws Exception {
        try (CannedTlsServer s = new CannedTlsServer(TlsProberCannedTest::tls10Server)) {
            // a scripted server cannot finish a real handshake: the vulnerability probes have VulnerabilityCannedTest
            TlsProber prober = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)).withVulnerabilityProbes(false));
            ServerObservation o = prober.probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "legacy.example"));
            assertThat(o.vulnerabilities()).isEmpty();

            assertThat(o.startTls().status()).isEqualTo(Status.ESTABLISHED);
            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_0);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_0)).containsExactly(
                    "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_RC4_128_MD5");
            assertThat(o.serverOrderEnforced()).containsEntry(TlsVersion.TLS_1_0, true);
            assertThat(o.chain()).containsExactly(CERTS.certificate());
            assertThat(o.secureRenegotiation()).contains(true);
            assertThat(o.extendedMasterSecret()).contains(false);
            assertThat(o.encryptThenMac()).contains(false);
            assertThat(o.compression()).contains(false);
            assertThat(o.untested()).isEmpty();
        }
    }

    @Test
    void serverRefusingEverything_handshakeFailed() throws Exception {
        try (CannedTlsServer s = new CannedTlsServer((v, suites) -> CannedTlsServer.alert(0x0303, 40))) {
            TlsProber prober = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)));
            ServerObservation o = prober.probe(new ProbeTarget(s.address(), Transport.IMPLICIT_TLS, "mx.example"));

            assertThat(o.startTls().status()).isEqualTo(Status.HANDSHAKE_FAILED);
            assertThat(o.startTls().detail()).contains("no protocol version accepted");
            assertThat(o.acceptedSuites()).isEmpty();
        }
    }
}
