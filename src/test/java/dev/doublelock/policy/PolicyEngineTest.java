package dev.doublelock.policy;

import java.util.List;
import java.util.Optional;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.tls.CertFixture;
import dev.doublelock.tls.CertFixture.Issued;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.api.Test;

import static dev.doublelock.finding.FindingCode.*;
import static dev.doublelock.policy.LabExpectationsTest.CTX;
import static dev.doublelock.policy.LabExpectationsTest.LAB;
import static dev.doublelock.policy.LabExpectationsTest.codes;
import static dev.doublelock.tls.CertFixture.cert;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyEngineTest {
    static final PolicyEngine BSI = new PolicyEngine(Policies.builtIn("bsi"));
    static final PolicyEngine STRICT = new PolicyEngine(Policies.builtIn("bsi-strict"));
    static final Issued GOOD = LAB.leaf("localhost");

    static Obs good() {
        return Obs.goodTls().chain(GOOD.cert(), LAB.intermediate().cert());
    }

    @Test
    void dheSuitesFailUnderStrictFrom2030NotIn2029() {
        Obs dhe = good().suites(TlsVersion.TLS_1_2, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256").minDh(3072);
        assertThat(STRICT.evaluate(dhe.build(), CTX.withYear(2029))).isEmpty();
        List<Finding> f2030 = STRICT.evaluate(dhe.build(), CTX.withYear(2030));
        assertThat(codes(f2030)).containsExactly(CIPHER_NOT_RECOMMENDED);
        assertThat(f2030.get(0).severity()).isEqualTo(Severity.FAIL);
        assertThat(f2030.get(0).evidence()).contains("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "until 2029");
        assertThat(BSI.evaluate(dhe.build(), CTX.withYear(2030))).as("bsi has no year limits").isEmpty();
    }

    @Test
    void dheBelow3000BitIsAStrictFailAndABsiWarning() {
        Obs dhe = good().suites(TlsVersion.TLS_1_2, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256").minDh(2048);
        assertThat(STRICT.evaluate(dhe.build(), CTX.withYear(2029))).extracting(Finding::code, Finding::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(WEAK_KEY_EXCHANGE, Severity.FAIL));
        assertThat(BSI.evaluate(dhe.build(), CTX)).extracting(Finding::severity).containsExactly(Severity.WARN);
        assertThat(BSI.evaluate(dhe.minDh(1024).build(), CTX)).extracting(Finding::severity).containsExactly(Severity.FAIL);
    }

    @Test
    void tls12EndsUnderStrictIn2032() {
        Obs tls12Only = Obs.server().suites(TlsVersion.TLS_1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .groups("secp256r1").chain(GOOD.cert(), LAB.intermediate().cert());
        assertThat(STRICT.evaluate(tls12Only.build(), CTX.withYear(2031))).isEmpty();
        assertThat(codes(STRICT.evaluate(tls12Only.build(), CTX.withYear(2032))))
                .containsExactly(PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL);
        assertThat(codes(STRICT.evaluate(good().build(), CTX.withYear(2032))))
                .as("TLS 1.2 + 1.3 in 2032: 1.2 is no longer recommended, 1.3 is there")
                .containsExactly(PROTOCOL_NOT_RECOMMENDED);
    }

    @Test
    void strongButUnlistedIsAWarningUnderBsiAndAFailUnderStrict() {
        Issued rsa2048 = cert("CN=localhost").key(CertFixture.rsa(2048)).issuedBy(LAB.root())
                .signedWith("SHA256withRSA").dns("localhost").build();
        Obs o = Obs.goodTls().suites(TlsVersion.TLS_1_3, "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256")
                .groups("x25519", "X25519MLKEM768").chain(rsa2048.cert());
        List<Finding> bsi = BSI.evaluate(o.build(), CTX);
        assertThat(bsi).allMatch(f -> f.severity() == Severity.WARN);
        assertThat(codes(bsi)).containsExactly(WEAK_SIGNATURE_ALGORITHM, WEAK_KEY, CIPHER_NOT_RECOMMENDED, WEAK_KEY_EXCHANGE);
        assertThat(bsi).filteredOn(f -> f.code() == WEAK_KEY_EXCHANGE).hasSize(2);
        assertThat(bsi).filteredOn(f -> f.code() == CIPHER_NOT_RECOMMENDED).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("TLS_CHACHA20_POLY1305_SHA256").doesNotContain("TLS_AES_128"));
        assertThat(bsi).filteredOn(f -> f.code() == WEAK_KEY).singleElement()
                .satisfies(f -> assertThat(f.evidence()).isEqualTo("RSA 2048 bit"));
        assertThat(bsi).allSatisfy(f -> assertThat(f.message()).contains("strict"));
        List<Finding> strict = STRICT.evaluate(o.build(), CTX);
        assertThat(codes(strict)).isEqualTo(codes(bsi));
        assertThat(strict).allMatch(f -> f.severity() == Severity.FAIL);
        assertThat(STRICT.evaluate(o.build(), CTX.withYear(2025)))
                .as("PKCS#1 v1.5 allowed until 2025").noneMatch(f -> f.code() == WEAK_SIGNATURE_ALGORITHM);
    }

    @Test
    void weakSuitesAreFailsWithReasons() {
        Obs o = good().suites(TlsVersion.TLS_1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_RC4_128_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA256");
        List<Finding> f = BSI.evaluate(o.build(), CTX);
        assertThat(f).filteredOn(x -> x.code() == CIPHER_NOT_RECOMMENDED).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.FAIL);
            assertThat(x.evidence()).startsWith("TLS 1.2: ").contains("3DES", "RC4", "anonymous").doesNotContain("AES_128_GCM");
        });
        // issue 9: an accepted anonymous suite is also a server that can present no certificate
        assertThat(f).filteredOn(x -> x.code() != CIPHER_NOT_RECOMMENDED).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo(FindingCode.NO_CERTIFICATE);
            assertThat(x.severity()).isEqualTo(Severity.FAIL);
            assertThat(x.evidence()).contains("TLS_DH_anon_WITH_AES_128_CBC_SHA256");
        });
    }

    @Test
    void anchorSentByServerIsNotJudgedForItsSignatureButAnUntrustedRootChainIs() {
        Issued sha1Root = cert("CN=sha1 root").key(CertFixture.rsa(3072)).ca().signedWith("SHA1withRSA").build();
        Issued leaf = cert("CN=localhost").key(CertFixture.ec("secp256r1", "leaf")).issuedBy(sha1Root)
                .signedWith("SHA256withRSAandMGF1").dns("localhost").build();
        var obs = Obs.goodTls().chain(leaf.cert(), sha1Root.cert()).build();
        var trusting = new PolicyContext(new dev.doublelock.tls.ChainInspector(List.of(sha1Root.cert()), false), CTX.now(), 2026);
        assertThat(BSI.evaluate(obs, trusting)).isEmpty();
        assertThat(codes(BSI.evaluate(obs, CTX))).containsExactly(UNKNOWN_ISSUER);
    }

    @Test
    void sessionModeJudgesTheNegotiatedParameters() {
        var ok = new SessionObservation("localhost", "127.0.0.1:25", StartTlsOutcome.established(),
                Optional.of(TlsVersion.TLS_1_3), Optional.of("TLS_AES_128_GCM_SHA256"), Optional.of("secp256r1"),
                Optional.empty(), List.of(GOOD.cert(), LAB.intermediate().cert()), Optional.of("localhost"));
        assertThat(STRICT.evaluate(ok, CTX)).isEmpty();
        var legacy = new SessionObservation("localhost", "127.0.0.1:25", StartTlsOutcome.established(),
                Optional.of(TlsVersion.TLS_1_0), Optional.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), Optional.empty(),
                Optional.empty(), List.of(GOOD.cert(), LAB.intermediate().cert()), Optional.of("localhost"));
        assertThat(codes(BSI.evaluate(legacy, CTX))).as("one session cannot show NO_RECOMMENDED_PROTOCOL")
                .containsExactly(PROTOCOL_NOT_RECOMMENDED, CIPHER_NOT_RECOMMENDED);
        var refused = new SessionObservation("localhost", "127.0.0.1:25",
                new StartTlsOutcome(StartTlsOutcome.Status.NOT_OFFERED, ""), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        assertThat(codes(BSI.evaluate(refused, CTX))).containsExactly(NO_STARTTLS);
    }

    @Test
    void sessionModeJudgesTheKeyExchangeTheServerChose() {
        var dhe1024 = new SessionObservation("localhost", "127.0.0.1:25", StartTlsOutcome.established(),
                Optional.of(TlsVersion.TLS_1_2), Optional.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), Optional.empty(),
                Optional.of(1024), List.of(GOOD.cert(), LAB.intermediate().cert()), Optional.of("localhost"));
        assertThat(codes(BSI.evaluate(dhe1024, CTX))).contains(WEAK_KEY_EXCHANGE);
        var dhe3072 = new SessionObservation("localhost", "127.0.0.1:25", StartTlsOutcome.established(),
                Optional.of(TlsVersion.TLS_1_2), Optional.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), Optional.empty(),
                Optional.of(3072), List.of(GOOD.cert(), LAB.intermediate().cert()), Optional.of("localhost"));
        assertThat(codes(BSI.evaluate(dhe3072, CTX))).doesNotContain(WEAK_KEY_EXCHANGE);
        var p224 = new SessionObservation("localhost", "127.0.0.1:25", StartTlsOutcome.established(),
                Optional.of(TlsVersion.TLS_1_2), Optional.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                Optional.of("secp224r1"), Optional.empty(), List.of(GOOD.cert(), LAB.intermediate().cert()),
                Optional.of("localhost"));
        assertThat(codes(BSI.evaluate(p224, CTX))).contains(WEAK_KEY_EXCHANGE);
    }

    @Test
    void unreachableAndUntestedMakeTheVerdictIncompleteNotFailed() {
        var unreachable = Obs.server().startTls(StartTlsOutcome.Status.UNREACHABLE, "connect timed out").build();
        List<Finding> f = BSI.evaluate(unreachable, CTX);
        assertThat(codes(f)).containsExactly(UNREACHABLE);
        assertThat(PolicyEngine.verdict(f)).isEqualTo(Verdict.INCOMPLETE);
        List<Finding> partial = BSI.evaluate(good().untested("TLS 1.0 probe timed out").build(), CTX);
        assertThat(PolicyEngine.verdict(partial)).isEqualTo(Verdict.INCOMPLETE);
        assertThat(PolicyEngine.verdict(BSI.evaluate(Obs.server().startTls(StartTlsOutcome.Status.NOT_OFFERED, "")
                .untested("x").build(), CTX))).isEqualTo(Verdict.NON_COMPLIANT);
    }

    @Test
    void insecureRenegotiationIsAFailOnlyWhenObserved() {
        assertThat(codes(BSI.evaluate(good().renegotiation(false).build(), CTX))).containsExactly(NO_SECURE_RENEGOTIATION);
        assertThat(BSI.evaluate(good().renegotiation(null).build(), CTX)).isEmpty();
    }

    @Test
    void tr03108RequiresDaneAndOthersDoNot() {
        var tr = new PolicyEngine(Policies.builtIn("tr-03108"));
        var noDane = new MailDomainFacts("example.org", Optional.of(true), Optional.of(false), Optional.empty(), Optional.empty());
        assertThat(tr.evaluate(noDane, CTX)).extracting(Finding::code, Finding::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(NO_DANE, Severity.FAIL));
        var unsigned = new MailDomainFacts("example.org", Optional.of(false), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(codes(tr.evaluate(unsigned, CTX))).containsExactly(NO_DANE);
        assertThat(tr.evaluate(MailDomainFacts.unknown("example.org"), CTX)).as("unknown is not a FAIL").isEmpty();
        assertThat(BSI.evaluate(noDane, CTX)).isEmpty();
        assertThat(tr.evaluate(good().build(), CTX)).isEmpty();
        var tls13Only = Obs.server().suites(TlsVersion.TLS_1_3, "TLS_AES_128_GCM_SHA256").groups("secp256r1")
                .chain(GOOD.cert(), LAB.intermediate().cert()).build();
        assertThat(codes(tr.evaluate(tls13Only, CTX))).as("TR-03116-4: TLS 1.2 required").containsExactly(NO_RECOMMENDED_PROTOCOL);
        assertThat(BSI.evaluate(tls13Only, CTX)).isEmpty();
    }

    @Test
    void findingsCiteRuleIdAndSourceSection() {
        List<Finding> f = BSI.evaluate(Obs.server().suites(TlsVersion.TLS_1_0, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .chain(GOOD.cert(), LAB.intermediate().cert()).build(), CTX);
        assertThat(f).filteredOn(x -> x.code() == FindingCode.PROTOCOL_NOT_RECOMMENDED).singleElement().satisfies(x -> {
            assertThat(x.rule()).startsWith("bsi.protocol.legacy").contains("TR-02102-2", "§3.2");
            assertThat(x.evidence()).isEqualTo("TLS 1.0 accepted");
            assertThat(x.subject()).isEqualTo("127.0.0.1:2525");
        });
    }
}
