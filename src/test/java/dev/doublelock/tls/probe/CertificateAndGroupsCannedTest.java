package dev.doublelock.tls.probe;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.Verdict;
import dev.doublelock.tls.CertificateMessage;
import dev.doublelock.tls.ChainInspector;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome.Status;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.probe.ClientHelloWriter.Bytes;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 against scripted TLS 1.2 servers on loopback (record level, no JSSE on the server side):
 * a flight without a Certificate message or with an empty certificate_list is NO_CERTIFICATE, never compliant;
 * and an ECDSA server that needs its certificate's curve in supported_groups has every other group found.
 */
class CertificateAndGroupsCannedTest {
    static final int ECDHE_RSA_AES128_GCM = 0xC02F, ECDHE_ECDSA_AES128_GCM = 0xC02B;
    static final int SECP224R1 = 21, SECP256R1 = 23, SECP384R1 = 24;
    static final byte[] RENEGOTIATION_INFO = new Bytes().ext(0xFF01, new byte[]{0}).toByteArray();

    /** How the scripted server's Certificate message looks. */
    enum CertificatePart { NONE, EMPTY_LIST }

    /** TLS 1.2 only, one ECDHE_RSA suite, secp256r1 only; the flight's Certificate message as given. */
    static Function<CannedTlsServer.Hello, byte[]> rsaServerWithout(CertificatePart part) {
        return h -> {
            if (h.version() != 0x0303 || !h.suites().contains(ECDHE_RSA_AES128_GCM)) return CannedTlsServer.alert(0x0303, 40);
            if (!h.groups().contains(SECP256R1)) return CannedTlsServer.alert(0x0303, 40);
            Bytes hs = new Bytes().raw(CannedTlsServer.handshake(2,
                    CannedTlsServer.serverHelloBody(0x0303, ECDHE_RSA_AES128_GCM, 0, RENEGOTIATION_INFO)));
            if (part == CertificatePart.EMPTY_LIST) hs.raw(CannedTlsServer.handshake(11, CannedTlsServer.certificateBody()));
            hs.raw(CannedTlsServer.handshake(12, CannedTlsServer.ecdheKeyExchangeBody(SECP256R1)))
                    .raw(CannedTlsServer.handshake(14, new byte[0]));
            return CannedTlsServer.record(22, 0x0303, hs.toByteArray());
        };
    }

    static TlsProber prober() {
        // these scripted servers cannot finish a real handshake: the vulnerability probes have VulnerabilityCannedTest
        return new TlsProber(ProbeOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60))
                .withVulnerabilityProbes(false));
    }

    static List<Finding> judge(ServerObservation o) {
        return new PolicyEngine(Policies.builtIn("bsi")).evaluate(o, PolicyContext.of(new ChainInspector(List.of(), false)));
    }

    @Test
    void noCertificateMessage_isNoCertificateFail() throws Exception {
        try (CannedTlsServer s = new CannedTlsServer(rsaServerWithout(CertificatePart.NONE))) {
            ServerObservation o = prober().probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "mx.example"));

            assertThat(o.startTls().status()).isEqualTo(Status.ESTABLISHED);
            assertThat(o.acceptedSuites()).containsOnlyKeys(TlsVersion.TLS_1_2);
            assertThat(o.chain()).isEmpty();
            assertThat(o.certificateMessage().kind()).isEqualTo(CertificateMessage.Kind.ABSENT);
            assertThat(o.certificateMessage().detail()).contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "without a Certificate message");
            assertThat(o.acceptedGroups()).containsExactly("secp256r1");
            assertThat(o.untested()).isEmpty();
            List<Finding> f = judge(o);
            assertThat(f).filteredOn(x -> x.code() == FindingCode.NO_CERTIFICATE).singleElement()
                    .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.FAIL));
            assertThat(PolicyEngine.verdict(f)).isEqualTo(Verdict.NON_COMPLIANT);
        }
    }

    @Test
    void emptyCertificateList_isNoCertificateFail() throws Exception {
        try (CannedTlsServer s = new CannedTlsServer(rsaServerWithout(CertificatePart.EMPTY_LIST))) {
            ServerObservation o = prober().probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "mx.example"));

            assertThat(o.certificateMessage().kind()).isEqualTo(CertificateMessage.Kind.EMPTY_LIST);
            assertThat(o.chain()).isEmpty();
            List<Finding> f = judge(o);
            assertThat(f).filteredOn(x -> x.code() == FindingCode.NO_CERTIFICATE).singleElement().satisfies(x -> {
                assertThat(x.severity()).isEqualTo(Severity.FAIL);
                assertThat(x.evidence()).contains("empty certificate_list");
            });
            assertThat(PolicyEngine.verdict(f)).isEqualTo(Verdict.NON_COMPLIANT);
        }
    }

    @Test
    void flightCutBeforeCertificate_isIncompleteNotNoCertificate() throws Exception {
        // ServerHello, then the connection ends: the prober saw no Certificate message, but not its absence either
        Function<CannedTlsServer.Hello, byte[]> cut = h -> h.version() == 0x0303 && h.suites().contains(ECDHE_RSA_AES128_GCM)
                ? CannedTlsServer.record(22, 0x0303, CannedTlsServer.handshake(2,
                        CannedTlsServer.serverHelloBody(0x0303, ECDHE_RSA_AES128_GCM, 0, RENEGOTIATION_INFO)))
                : CannedTlsServer.alert(0x0303, 40);
        try (CannedTlsServer s = new CannedTlsServer(cut)) {
            TlsProber quick = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60)));
            ServerObservation o = quick.probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "mx.example"));

            assertThat(o.certificateMessage().kind()).isEqualTo(CertificateMessage.Kind.NOT_OBSERVED);
            assertThat(o.untested()).anyMatch(u -> u.startsWith("certificate chain"));
            List<Finding> f = judge(o);
            assertThat(f).noneMatch(x -> x.code() == FindingCode.NO_CERTIFICATE);
            assertThat(f).anyMatch(x -> x.code() == FindingCode.UNREACHABLE && x.evidence().contains("certificate chain"));
            assertThat(PolicyEngine.verdict(f)).isNotEqualTo(Verdict.COMPLIANT);
        }
    }

    // ---- ECDSA: the certificate's curve must stay in supported_groups (RFC 8422 §5.1) ----

    static final X509Certificate P256 = p256Certificate();

    static X509Certificate p256Certificate() {
        Instant now = Instant.now();
        CertifiedKey k = new CertificateBuilder().ecdsa("secp256r1").subject("CN=mx.example").dnsNames("mx.example")
                .validity(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS)).build();
        return k.leaf();
    }

    /**
     * TLS 1.2, one ECDHE_ECDSA suite, a P-256 certificate: refuses unless secp256r1 is offered (as OpenSSL does),
     * then picks the first group of {@code serverGroups} the client offers, in the client's order or in its own.
     */
    static Function<CannedTlsServer.Hello, byte[]> ecdsaServer(List<Integer> serverGroups, boolean serverOrder) {
        return h -> {
            if (h.version() != 0x0303 || !h.suites().contains(ECDHE_ECDSA_AES128_GCM) || !h.groups().contains(SECP256R1)) {
                return CannedTlsServer.alert(0x0303, 40);
            }
            List<Integer> order = serverOrder ? serverGroups : h.groups();
            List<Integer> other = serverOrder ? h.groups() : serverGroups;
            Integer group = order.stream().filter(other::contains).findFirst().orElse(null);
            if (group == null) return CannedTlsServer.alert(0x0303, 40);
            Bytes hs = new Bytes().raw(CannedTlsServer.handshake(2,
                            CannedTlsServer.serverHelloBody(0x0303, ECDHE_ECDSA_AES128_GCM, 0, RENEGOTIATION_INFO)))
                    .raw(CannedTlsServer.handshake(11, CannedTlsServer.certificateBody(P256)))
                    .raw(CannedTlsServer.handshake(12, CannedTlsServer.ecdheKeyExchangeBody(group)))
                    .raw(CannedTlsServer.handshake(14, new byte[0]));
            return CannedTlsServer.record(22, 0x0303, hs.toByteArray());
        };
    }

    @Test
    void ecdsaCertificate_clientOrder_everyGroupFoundIncludingSecp224r1() throws Exception {
        try (CannedTlsServer s = new CannedTlsServer(ecdsaServer(List.of(SECP256R1, SECP384R1, SECP224R1), false))) {
            ServerObservation o = prober().probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "mx.example"));

            assertThat(o.acceptedGroups()).containsExactlyInAnyOrder("secp256r1", "secp384r1", "secp224r1");
            assertThat(o.untested()).isEmpty();
            assertThat(judge(o)).anySatisfy(x -> {
                assertThat(x.code()).isEqualTo(FindingCode.WEAK_KEY_EXCHANGE);
                assertThat(x.severity()).isEqualTo(Severity.FAIL);
                assertThat(x.evidence()).contains("secp224r1");
            });
        }
    }

    @Test
    void ecdsaCertificate_serverOrder_findsWhatAClientCanGet() throws Exception {
        // the server ranks secp224r1 first: every client offering it (and P-256, which ECDSA needs) gets it
        try (CannedTlsServer s = new CannedTlsServer(ecdsaServer(List.of(SECP224R1, SECP256R1, SECP384R1), true))) {
            ServerObservation o = prober().probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "mx.example"));
            assertThat(o.acceptedGroups()).containsExactlyInAnyOrder("secp224r1", "secp256r1");
            assertThat(o.untested()).isEmpty();
        }
        // ranked below P-256, which every ECDSA client must offer, secp384r1 and secp224r1 are never negotiated
        try (CannedTlsServer s = new CannedTlsServer(ecdsaServer(List.of(SECP256R1, SECP384R1, SECP224R1), true))) {
            ServerObservation o = prober().probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "mx.example"));
            assertThat(o.acceptedGroups()).containsExactly("secp256r1");
            assertThat(o.untested()).isEmpty();
        }
    }

    // ---- TLS 1.3: a refusal that contradicts an earlier answer is no end of the list ----

    @Test
    void tls13_refusalOfEmptyKeyShare_isReportedNotSilent() throws Exception {
        // answers TLS_AES_128_GCM_SHA256 with an x25519 share, but refuses the empty-key_share hellos the group
        // enumeration sends instead of answering with a HelloRetryRequest
        Function<CannedTlsServer.Hello, byte[]> server = h -> {
            if (!h.suites().contains(0x1301)) return CannedTlsServer.alert(0x0303, h.suites().stream().anyMatch(c -> c >> 8 == 0x13) ? 40 : 70);
            if (!h.keyShares().contains(29)) return CannedTlsServer.alert(0x0303, 40);
            byte[] ext = new Bytes().ext(43, new Bytes().u16(0x0304).toByteArray())
                    .ext(51, new Bytes().u16(29).vec16(new byte[32]).toByteArray()).toByteArray();
            return CannedTlsServer.record(22, 0x0303, CannedTlsServer.handshake(2,
                    CannedTlsServer.serverHelloBody(0x0303, 0x1301, 0, ext)));
        };
        try (CannedTlsServer s = new CannedTlsServer(server)) {
            ServerObservation o = prober().probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "mx.example"));

            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_3)).containsExactly("TLS_AES_128_GCM_SHA256");
            assertThat(o.acceptedGroups()).as("the group it chose with a key share").contains("x25519");
            assertThat(o.untested()).anyMatch(u -> u.startsWith("TLS 1.3 groups: list incomplete") && u.contains("x25519"));
            assertThat(PolicyEngine.verdict(judge(o))).isNotEqualTo(Verdict.COMPLIANT);
        }
    }
}
