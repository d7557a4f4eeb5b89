package dev.doublelock.lab;

import dev.doublelock.testing.PinnedTrustManager;
import dev.doublelock.testing.RawSmtpClient;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each profile's endpoint presents exactly its defect: certificate, key, signature, protocol and suite. */
class LabEndpointsTest {
    @TempDir
    static Path data;
    static Lab lab;

    @BeforeAll
    static void startLab() throws Exception {
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    static CertifiedKey served(LabProfile p) {
        return lab.pki("localhost").certificate(p.certificate());
    }

    @ParameterizedTest
    @EnumSource(value = LabProfile.class, names = {"NO_STARTTLS", "STARTTLS_BROKEN"}, mode = EnumSource.Mode.EXCLUDE)
    void presentsItsCertificateProtocolAndSuite(LabProfile profile) throws Exception {
        CertifiedKey key = served(profile);
        PinnedTrustManager pin = new PinnedTrustManager(key.leaf());
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {pin}, null);
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(profile).address())) {
            assertThat(c.code()).isEqualTo(220);
            assertThat(c.command("EHLO tester.example")).anyMatch(l -> l.substring(4).equals("STARTTLS"));
            assertThat(RawSmtpClient.code(c.command("STARTTLS"))).isEqualTo(220);
            SSLSocket tls = c.startTls(ctx, "localhost", "TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
            var session = tls.getSession();
            List<X509Certificate> chain = List.of((X509Certificate[]) session.getPeerCertificates());
            assertThat(chain).containsExactlyElementsOf(key.chain());
            assertThat(profile.tls().versions()).contains(TlsVersion.forJavaName(session.getProtocol()));
            assertThat(profile.tls().suites()).contains(session.getCipherSuite());
            assertThat(c.command("EHLO tester.example")).noneMatch(l -> l.contains("STARTTLS"));
            c.command("QUIT");
        }
    }

    @Test
    void certificateDefectsAreExactlyTheOnesNamed() {
        X509Certificate good = served(LabProfile.GOOD).leaf();
        assertThat(good.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(good.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(served(LabProfile.GOOD).chain()).hasSize(2);
        assertThat(served(LabProfile.MISSING_INTERMEDIATE).chain()).hasSize(1);
        assertThat(served(LabProfile.EXPIRED).leaf().getNotAfter().toInstant()).isBefore(Instant.now());
        assertThat(served(LabProfile.NOT_YET_VALID).leaf().getNotBefore().toInstant()).isAfter(Instant.now());
        assertThat(served(LabProfile.SHA1_SIGNATURE).leaf().getSigAlgName()).isEqualTo("SHA1withRSA");
        assertThat(((RSAPublicKey) served(LabProfile.RSA_1024).leaf().getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
        X509Certificate shame = served(LabProfile.SHAME).leaf();
        assertThat(shame.getSubjectX500Principal()).isEqualTo(shame.getIssuerX500Principal());
        assertThat(shame.getSubjectX500Principal().getName()).contains("CN=abc.xy");
        assertThat(shame.getNotAfter().toInstant()).isEqualTo(Instant.parse("1970-01-02T00:00:00Z"));
        assertThat(shame.getSigAlgName()).isEqualTo("SHA1withRSA");
        assertThat(((RSAPublicKey) shame.getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
    }

    @Test
    void legacyProfilesRefuseModernClients() throws Exception {
        for (LabProfile p : List.of(LabProfile.TLS_1_0_ONLY, LabProfile.TLS_1_1_ONLY, LabProfile.SHAME)) {
            var ctx = PinnedTrustManager.context(served(p).leaf());
            try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(p).address())) {
                c.reply();
                c.command("EHLO modern.example");
                c.command("STARTTLS");
                assertThatThrownBy(() -> c.startTls(ctx, "localhost", "TLSv1.3", "TLSv1.2"))
                        .as(p.profileName()).isInstanceOf(SSLException.class);
            }
        }
    }

    @Test
    void noPfsServesOnlyStaticRsa() throws Exception {
        var ctx = PinnedTrustManager.context(served(LabProfile.NO_PFS).leaf());
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.NO_PFS).address())) {
            c.reply();
            c.command("EHLO t.example");
            c.command("STARTTLS");
            SSLSocket tls = c.startTls(ctx, "localhost");
            assertThat(tls.getSession().getCipherSuite()).startsWith("TLS_RSA_WITH_");
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void noStarttlsNeverAdvertisesIt() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.NO_STARTTLS).address())) {
            c.reply();
            assertThat(c.command("EHLO t.example")).noneMatch(l -> l.contains("STARTTLS"));
            assertThat(RawSmtpClient.code(c.command("STARTTLS"))).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void starttlsBrokenAdvertisesThenAnswers454() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.STARTTLS_BROKEN).address())) {
            c.reply();
            assertThat(c.command("EHLO t.example")).anyMatch(l -> l.endsWith("STARTTLS"));
            assertThat(c.command("STARTTLS").get(0)).startsWith("454");
        }
    }
}
