package dev.doublelock.policy;

import java.util.List;
import java.util.Optional;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.tls.CertificateMessage.Kind;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.doublelock.policy.LabExpectationsTest.CTX;
import static dev.doublelock.policy.LabExpectationsTest.LAB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * NO_CERTIFICATE (issue 9): a server that authenticates with no certificate is a FAIL in both modes, and under
 * every enforcing built-in policy; an uncaptured chain is incomplete, never a pass and never this finding.
 */
class CertificateMissingTest {
    static final String ECDHE_RSA = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    static final String DH_ANON = "TLS_DH_anon_WITH_AES_128_GCM_SHA256";

    static PolicyEngine engine(String policy) {
        return new PolicyEngine(Policies.builtIn(policy));
    }

    static List<Finding> noCertificate(List<Finding> findings) {
        return findings.stream().filter(f -> f.code() == FindingCode.NO_CERTIFICATE).toList();
    }

    /** The lab's good TLS parameters, but the TLS 1.2 flight went ServerHello, ServerKeyExchange, ServerHelloDone. */
    static Obs withoutCertificateMessage() {
        return Obs.server().suites(TlsVersion.TLS_1_2, ECDHE_RSA).groups("secp256r1")
                .certificateMessage(Kind.ABSENT, "TLS 1.2, " + ECDHE_RSA + ": ServerHelloDone without a Certificate message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bsi", "bsi-strict", "tr-03108"})
    void configurationMode_noCertificateMessage_failsUnderEveryEnforcingPolicy(String policy) {
        List<Finding> f = engine(policy).evaluate(withoutCertificateMessage().build(), CTX);
        assertThat(noCertificate(f)).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.FAIL);
            assertThat(x.evidence()).contains("without a Certificate message", ECDHE_RSA);
            assertThat(x.rule()).contains("bsi.cert.present");
        });
        assertThat(PolicyEngine.verdict(f)).isEqualTo(Verdict.NON_COMPLIANT);
    }

    @Test
    void configurationMode_emptyCertificateList_fails() {
        Obs o = Obs.server().suites(TlsVersion.TLS_1_2, ECDHE_RSA).groups("secp256r1")
                .certificateMessage(Kind.EMPTY_LIST, "TLS 1.2, " + ECDHE_RSA + ": Certificate message with an empty certificate_list");
        assertThat(noCertificate(engine("bsi").evaluate(o.build(), CTX))).singleElement()
                .satisfies(x -> assertThat(x.evidence()).contains("empty certificate_list"));
    }

    @Test
    void opportunistic_reportsButNeverRefuses() {
        List<Finding> f = engine("opportunistic").evaluate(withoutCertificateMessage().build(), CTX);
        assertThat(noCertificate(f)).singleElement().satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARN));
    }

    @Test
    void chainNotCaptured_isIncompleteNotNoCertificate() {
        Obs o = Obs.server().suites(TlsVersion.TLS_1_3, "TLS_AES_128_GCM_SHA256").groups("secp256r1")
                .certificateMessage(Kind.NOT_OBSERVED, "the TLS 1.3 handshake ended before the server sent its certificate")
                .untested("certificate chain: the TLS 1.3 handshake ended before the server sent its certificate");
        List<Finding> f = engine("bsi").evaluate(o.build(), CTX);
        assertThat(noCertificate(f)).isEmpty();
        assertThat(PolicyEngine.verdict(f)).isEqualTo(Verdict.INCOMPLETE);
    }

    @Test
    void anonymousOnly_oneFindingNamingTheSuites() {
        Obs o = Obs.server().suites(TlsVersion.TLS_1_2, DH_ANON, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA").groups("secp256r1")
                .certificateMessage(Kind.ABSENT, "only anonymous suites accepted");
        assertThat(noCertificate(engine("bsi").evaluate(o.build(), CTX))).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.FAIL);
            assertThat(x.evidence()).contains("anonymous", DH_ANON, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA");
        });
    }

    @Test
    void anonymousBesideACertificate_stillFails() {
        Obs o = PolicyEngineTest.good().suites(TlsVersion.TLS_1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", DH_ANON);
        assertThat(noCertificate(engine("bsi").evaluate(o.build(), CTX))).singleElement()
                .satisfies(x -> assertThat(x.evidence()).contains("TLS 1.2: " + DH_ANON));
    }

    @Test
    void goodServer_noFinding() {
        assertThat(noCertificate(engine("bsi-strict").evaluate(PolicyEngineTest.good().build(), CTX))).isEmpty();
    }

    @Test
    void noTls_notJudged() {
        Obs o = Obs.server().startTls(StartTlsOutcome.Status.NOT_OFFERED, "")
                .certificateMessage(Kind.NOT_OBSERVED, "no TLS");
        assertThat(noCertificate(engine("bsi").evaluate(o.build(), CTX))).isEmpty();
    }

    static SessionObservation session(String suite, List<java.security.cert.X509Certificate> chain) {
        return new SessionObservation("localhost", "127.0.0.1:25", StartTlsOutcome.established(),
                Optional.of(TlsVersion.TLS_1_2), Optional.of(suite), Optional.of("secp256r1"), Optional.empty(), chain, Optional.of("localhost"));
    }

    @Test
    void sessionMode_establishedWithoutPeerCertificate_fails() {
        List<Finding> f = engine("bsi").evaluate(session("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", List.of()), CTX);
        assertThat(noCertificate(f)).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.FAIL);
            assertThat(x.evidence()).contains("no peer certificate");
        });
    }

    @Test
    void sessionMode_anonymousSuiteNegotiated_fails() {
        assertThat(noCertificate(engine("bsi").evaluate(session(DH_ANON, List.of()), CTX))).singleElement()
                .satisfies(x -> assertThat(x.evidence()).contains("negotiated anonymous", DH_ANON));
    }

    @Test
    void sessionMode_withChain_noFinding() {
        var s = session("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                List.of(PolicyEngineTest.GOOD.cert(), LAB.intermediate().cert()));
        assertThat(noCertificate(engine("bsi").evaluate(s, CTX))).isEmpty();
    }

    @Test
    void sessionMode_handshakeFailed_notJudged() {
        var s = new SessionObservation("localhost", "127.0.0.1:25", new StartTlsOutcome(StartTlsOutcome.Status.HANDSHAKE_FAILED,
                "alert handshake_failure"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        assertThat(noCertificate(engine("bsi").evaluate(s, CTX))).isEmpty();
    }
}
