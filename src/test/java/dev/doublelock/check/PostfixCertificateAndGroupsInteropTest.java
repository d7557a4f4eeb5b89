package dev.doublelock.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.Verdict;
import dev.doublelock.policy.mtasts.InMemoryStsCache;
import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.tls.CertificateMessage;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.LabCertificate;
import dev.doublelock.tls.pki.LabPki;
import dev.doublelock.tls.pki.Pem;
import dev.doublelock.tls.probe.ProbeOptions;
import dev.doublelock.tls.probe.TlsProber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9 against real Postfix receivers (Debian's package, OpenSSL 3.0) on loopback, judged by the checker
 * under {@code bsi}:
 * <ul>
 * <li>an ECDSA P-256 certificate, one ECDHE-ECDSA suite and {@code tls_eecdh_auto_curves} that include
 *     secp224r1: OpenSSL picks secp224r1 for a client offering it together with P-256 (checked by hand with
 *     {@code openssl s_client -groups secp224r1:P-256}: "Server Temp Key: ECDH, secp224r1, 224 bits"), so the
 *     checker must report FAIL WEAK_KEY_EXCHANGE naming it. The old elimination removed P-256 first and then
 *     stopped at the refusal, and called the server compliant;</li>
 * <li>{@code smtpd_tls_cert_file = none}: Postfix then serves only anonymous suites (ADH/AECDH, TLS ≤ 1.2) and
 *     sends no Certificate message: FAIL NO_CERTIFICATE, never compliant.</li>
 * </ul>
 */
class PostfixCertificateAndGroupsInteropTest {
    @TempDir
    static Path dir;
    static final List<PostfixInstance> servers = new ArrayList<>();
    static LabPki pki;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and Debian's postfix package (installed by .ci/run)");
        pki = LabPki.loadOrCreate(dir.resolve("pki"), "localhost");
    }

    @AfterAll
    static void stop() {
        servers.forEach(PostfixInstance::close);
    }

    @Test
    void ecdsaP256CertificateWithSecp224r1_isWeakKeyExchange() throws Exception {
        CertifiedKey good = pki.certificate(LabCertificate.GOOD);
        assertThat(good.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
        int port = start(good, Map.of(
                "tls_eecdh_auto_curves", "prime256v1 secp384r1 secp521r1 secp224r1",
                "smtpd_tls_eecdh_grade", "auto",
                "smtpd_tls_ciphers", "high",
                "tls_high_cipherlist", "ECDHE-ECDSA-AES256-GCM-SHA384",
                "smtpd_tls_exclude_ciphers", "aNULL"));
        HostReport host = check(port);
        ServerObservation o = host.observation().orElseThrow();

        assertThat(o.acceptedSuites().values()).as("TLS ≤ 1.2: one ECDHE-ECDSA suite (and TLS 1.3)")
                .anySatisfy(s -> assertThat(s).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
        assertThat(o.acceptedGroups()).contains("secp224r1", "secp256r1", "secp384r1", "secp521r1");
        assertThat(o.untested()).as("the enumeration finished").isEmpty();
        assertThat(o.certificateMessage().kind()).isEqualTo(CertificateMessage.Kind.PRESENT);
        assertThat(host.findings()).anySatisfy(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.WEAK_KEY_EXCHANGE);
            assertThat(f.severity()).isEqualTo(Severity.FAIL);
            assertThat(f.evidence()).contains("secp224r1");
        });
        assertThat(host.findings()).noneMatch(f -> f.code() == FindingCode.NO_CERTIFICATE);
    }

    @Test
    void anonymousSuitesOnly_isNoCertificate() throws Exception {
        int port = start(pki.certificate(LabCertificate.GOOD), Map.of(
                "smtpd_tls_cert_file", "none",
                "smtpd_tls_key_file", "none"));
        HostReport host = check(port);
        ServerObservation o = host.observation().orElseThrow();

        assertThat(o.startTls().isEstablished()).isTrue();
        assertThat(o.acceptedSuites()).isNotEmpty();
        assertThat(o.acceptedSuites().values()).allSatisfy(suites -> assertThat(suites).allMatch(s -> s.contains("_anon_")));
        assertThat(o.chain()).isEmpty();
        assertThat(o.certificateMessage().kind()).isEqualTo(CertificateMessage.Kind.ABSENT);
        assertThat(o.acceptedGroups()).as("groups of the anonymous ECDH and DH suites").contains("secp256r1", "x25519");
        List<Finding> noCert = host.findings().stream().filter(f -> f.code() == FindingCode.NO_CERTIFICATE).toList();
        assertThat(noCert).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.FAIL);
            assertThat(f.evidence()).startsWith("accepts anonymous suites").contains("TLS 1.2: TLS_");
        });
        assertThat(verdict(host)).isEqualTo(Verdict.NON_COMPLIANT);
    }

    private static Verdict verdict(HostReport host) {
        if (host.findings().stream().anyMatch(f -> f.severity() == Severity.FAIL)) return Verdict.NON_COMPLIANT;
        return host.findings().stream().anyMatch(f -> f.code() == FindingCode.UNREACHABLE) ? Verdict.INCOMPLETE : Verdict.COMPLIANT;
    }

    private static int start(CertifiedKey key, Map<String, String> tls) throws IOException, InterruptedException {
        int port = PostfixInstance.freePort();
        PostfixInstance p = PostfixInstance.receiver(port, Pem.encode(key.chain()), Pem.encode(key.privateKey()), tls);
        servers.add(p);
        p.start();
        PostfixInstance.awaitGreeting(port, java.time.Duration.ofSeconds(30));
        return port;
    }

    private static HostReport check(int port) {
        ProbeOptions probe = ProbeOptions.defaults();
        CheckOptions options = new CheckOptions(2026, List.of(pki.caCertificate()), Optional.of("localhost"), 25, probe,
                Clock.systemUTC());
        DnsjavaResolver dns = DnsjavaResolver.builder().server("127.0.0.1:9").build(); // never asked: IP endpoints
        CheckRunner runner = new CheckRunner(dns, new TlsProber(probe), Policies.builtIn("bsi"), options,
                new StsLookup(dns, StsFetcher.withDefaults(java.time.Duration.ofSeconds(1)), new InMemoryStsCache(), Clock.systemUTC()));
        CheckReport report = runner.check(new Target.Endpoint("127.0.0.1", port));
        assertThat(report.exitCode()).as("exit code: FAIL findings").isEqualTo(1);
        return report.hosts().getFirst();
    }
}
