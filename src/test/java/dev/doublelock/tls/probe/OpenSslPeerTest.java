package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real legacy peer: {@code openssl s_server} at security level 0 on loopback port 0. Skipped where no
 * openssl binary exists (CI installs it).
 */
class OpenSslPeerTest {
    static TestCertificates certs;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenSsl() {
        assumeTrue(OpenSslServer.available(), "openssl not installed at /usr/bin/openssl");
        certs = TestCertificates.rsa("localhost");
    }

    @Test
    void tls10Only_versionAndLegacySuitesFound() throws Exception {
        try (OpenSslServer p = start("-tls1", "-cipher", "ALL:@SECLEVEL=0")) {
            ServerObservation o = probe(p);

            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_0);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_0)).contains("TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_0)).allSatisfy(name ->
                    assertThat(CipherSuites.byName(name).orElseThrow().minVersion()).isLessThanOrEqualTo(TlsVersion.TLS_1_0));
            assertThat(o.chain()).containsExactly(certs.certificate());
            assertThat(o.minDhBits()).isPresent();
            assertThat(o.secureRenegotiation()).contains(true);
            // nothing left untested: the renegotiation probe does the TLS 1.0 handshake through BouncyCastle's
            // low-level TLS (the JDK's has TLS 1.0/1.1 disabled), and OpenSSL 3 refuses client renegotiation by default
            assertThat(o.untested()).isEmpty();
            assertThat(o.vulnerabilities().get(dev.doublelock.tls.Vulnerability.CLIENT_RENEGOTIATION).status())
                    .isEqualTo(dev.doublelock.tls.Exposure.Status.NOT_VULNERABLE);
        }
    }

    @Test
    void tls12WithStaticRsa_bothSuitesFound() throws Exception {
        try (OpenSslServer p = start("-tls1_2", "-cipher", "AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256")) {
            ServerObservation o = probe(p);

            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_2);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_2)).containsExactlyInAnyOrder(
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256");
            assertThat(o.acceptedGroups()).contains("x25519", "secp256r1");
            assertThat(o.untested()).isEmpty();
        }
    }

    private ServerObservation probe(OpenSslServer p) {
        TlsProber prober = new TlsProber(ProbeOptions.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(90)));
        return prober.probe(new ProbeTarget(p.address(), Transport.PLAIN_TLS, "localhost"));
    }

    private OpenSslServer start(String... args) throws Exception {
        return OpenSslServer.start(dir, certs.pem(), certs.keyPem(), List.of(args));
    }
}
