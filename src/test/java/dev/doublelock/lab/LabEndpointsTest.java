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
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
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
    void newCertificateDefectsAreExactlyTheOnesNamed() throws Exception {
        X509Certificate cnOnly = served(LabProfile.CN_ONLY).leaf();
        assertThat(cnOnly.getSubjectAlternativeNames()).as("cn-only has no subjectAltName").isNull();
        assertThat(cnOnly.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(cnOnly.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(served(LabProfile.CN_ONLY).chain()).hasSize(2);

        X509Certificate wildcard = served(LabProfile.WILDCARD_TOO_DEEP).leaf();
        assertThat(wildcard.getSubjectAlternativeNames()).as("one DNS SAN, no IP SAN")
                .containsExactly(List.of(2, "*.deep.localhost"));
        assertThat(LabProfile.WILDCARD_TOO_DEEP.referenceName("localhost")).isEqualTo("a.b.deep.localhost");
        assertThat(LabProfile.GOOD.referenceName("localhost")).isEqualTo("localhost");
        assertThat(served(LabProfile.WILDCARD_TOO_DEEP).chain()).hasSize(2);

        X509Certificate md5 = served(LabProfile.MD5_SIGNATURE).leaf();
        assertThat(md5.getSigAlgName()).isEqualTo("MD5withRSA");
        assertThat(md5.getIssuerX500Principal()).isEqualTo(lab.pki("localhost").caCertificate().getSubjectX500Principal());
        md5.verify(lab.pki("localhost").caCertificate().getPublicKey());
        assertThat(served(LabProfile.MD5_SIGNATURE).chain()).hasSize(1);
        assertThat(md5.getSubjectAlternativeNames()).contains(List.of(2, "localhost"));

        for (LabProfile p : List.of(LabProfile.DHE_1024, LabProfile.CBC_SHA1, LabProfile.TLS_1_3_ONLY)) {
            X509Certificate leaf = served(p).leaf();
            assertThat(leaf.getSigAlgName()).as(p.profileName()).isEqualTo("SHA256withECDSA");
            assertThat(leaf.getSubjectAlternativeNames()).as(p.profileName()).contains(List.of(2, "localhost"));
        }
        assertThat(((RSAPublicKey) served(LabProfile.DHE_1024).leaf().getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
    }

    /** Opens a session to {@code p} and upgrades with the given client parameters. */
    static SSLSocket handshake(RawSmtpClient c, LabProfile p, java.util.function.Consumer<javax.net.ssl.SSLParameters> params)
            throws Exception {
        c.reply();
        c.command("EHLO t.example");
        c.command("STARTTLS");
        return c.startTls(PinnedTrustManager.context(served(p).leaf()), params);
    }

    @Test
    void dhe1024ServesOnlyDheOverA1024BitGroupEvenToAClientOfferingFfdheGroups() throws Exception {
        java.util.concurrent.atomic.AtomicInteger bits = new java.util.concurrent.atomic.AtomicInteger();
        java.security.AlgorithmConstraints recorder = new java.security.AlgorithmConstraints() {
            public boolean permits(java.util.Set<java.security.CryptoPrimitive> p, String a, java.security.AlgorithmParameters ps) {
                return true;
            }

            public boolean permits(java.util.Set<java.security.CryptoPrimitive> p, java.security.Key key) {
                if (key instanceof javax.crypto.interfaces.DHPublicKey dh) bits.set(dh.getParams().getP().bitLength());
                return true;
            }

            public boolean permits(java.util.Set<java.security.CryptoPrimitive> p, String a, java.security.Key key,
                                   java.security.AlgorithmParameters ps) {
                return permits(p, key);
            }
        };
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.DHE_1024).address())) {
            SSLSocket tls = handshake(c, LabProfile.DHE_1024, p -> {
                p.setAlgorithmConstraints(recorder);
                p.setNamedGroups(new String[] {"x25519", "secp256r1", "ffdhe2048", "ffdhe3072"});
            });
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(tls.getSession().getCipherSuite()).startsWith("TLS_DHE_RSA_WITH_AES_");
            assertThat(bits.get()).as("the server's DH prime").isEqualTo(LabProfile.DHE_GROUP_BITS);
        }
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.DHE_1024).address())) {
            assertThatThrownBy(() -> handshake(c, LabProfile.DHE_1024, p -> p.setCipherSuites(new String[] {
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"})))
                    .as("no suite but DHE").isInstanceOf(SSLException.class);
        }
    }

    @Test
    void cbcSha1ServesOnlyCbcWithSha1MacOverTls12() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.CBC_SHA1).address())) {
            SSLSocket tls = handshake(c, LabProfile.CBC_SHA1, p -> { });
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(tls.getSession().getCipherSuite()).matches("TLS_ECDHE_ECDSA_WITH_AES_(128|256)_CBC_SHA");
        }
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.CBC_SHA1).address())) {
            assertThatThrownBy(() -> handshake(c, LabProfile.CBC_SHA1, p -> p.setCipherSuites(new String[] {
                    "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"}))).as("no AEAD, no SHA-256 CBC").isInstanceOf(SSLException.class);
        }
    }

    @Test
    void tls13OnlyRefusesTls12() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.TLS_1_3_ONLY).address())) {
            SSLSocket tls = handshake(c, LabProfile.TLS_1_3_ONLY, p -> { });
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.TLS_1_3_ONLY).address())) {
            assertThatThrownBy(() -> handshake(c, LabProfile.TLS_1_3_ONLY, p -> p.setProtocols(new String[] {"TLSv1.2"})))
                    .isInstanceOf(SSLException.class);
        }
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
