package dev.doublelock.lab;

import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.Vulnerability;
import dev.doublelock.tls.pki.LabCertificate;
import dev.doublelock.tls.pki.LabPki;
import dev.doublelock.tls.probe.ProbeOptions;
import dev.doublelock.tls.probe.ProbeTarget;
import dev.doublelock.tls.probe.TlsProber;
import dev.doublelock.tls.probe.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server-side STARTTLS injection probe where the JDK's TLS cannot go: servers that speak only TLS 1.0 or 1.1
 * (the probe then completes its handshake through BouncyCastle's TLS). The lab's SMTP server with its TLS 1.0/1.1
 * profiles' TLS, once with the CVE-2011-0411 defect (plaintext pipelined after STARTTLS runs inside TLS) and once
 * without: the exposure appears and disappears. Real TLS on loopback; this JVM serves TLS 1.0 as the lab does.
 */
class StartTlsInjectionLegacyVersionsTest {
    static LabPki pki;

    @BeforeAll
    static void setUp() throws Exception {
        LegacyTls.relaxForThisProcess();
        pki = LabPki.loadOrCreate(Files.createTempDirectory("injection-legacy"), "localhost");
    }

    private static Exposure probe(LabProfile profile, boolean executesInjected) throws Exception {
        ProfileTls tls = new ProfileTls(profile, pki.certificate(LabCertificate.GOOD));
        try (SmtpServer server = SmtpServer.builder()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .hostName("localhost")
                .startTls(new StartTlsSupport.Offered(tls, executesInjected))
                .handlerFactory(info -> new SessionHandler() {
                })
                .build().start()) {
            ServerObservation o = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)))
                    .probe(new ProbeTarget(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()),
                            Transport.SMTP_STARTTLS, "localhost"));
            TlsVersion only = profile == LabProfile.TLS_1_0_ONLY ? TlsVersion.TLS_1_0 : TlsVersion.TLS_1_1;
            assertThat(o.acceptedSuites().keySet()).as("the server speaks only " + only).containsExactly(only);
            Exposure e = o.vulnerabilities().get(Vulnerability.STARTTLS_INJECTION);
            assertThat(e).as(o.untested().toString()).isNotNull();
            return e;
        }
    }

    @ParameterizedTest
    @EnumSource(value = LabProfile.class, names = {"TLS_1_0_ONLY", "TLS_1_1_ONLY"})
    void foundWhereItIs_andNotWhereItIsNot(LabProfile profile) throws Exception {
        Exposure vulnerable = probe(profile, true);
        assertThat(vulnerable.status()).as(vulnerable.evidence()).isEqualTo(Exposure.Status.VULNERABLE);
        Exposure fine = probe(profile, false);
        assertThat(fine.status()).as(fine.evidence()).isEqualTo(Exposure.Status.NOT_VULNERABLE);
    }
}
