package dev.doublelock.policy.transport;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handshake the server ended with an alert before its Certificate, explained by the evidence: OpenSSL answers an
 * offer of versions it lacks with protocol_version, GnuTLS with handshake_failure, which is also what a server says
 * when no offered suite suits it. A second handshake offering only TLS 1.2 to 1.0 tells the two apart.
 */
class FailedHandshakeExplanationTest {
    final TransportDecision decision = new TransportDecision(new PolicyEngine(Policies.resolve("bsi")), LocalMode.ENFORCE);
    final TransportRequirement req = decision.require(new DomainFacts(TransportCases.DOMAIN, true, false, Optional.empty(), Optional.empty()),
            TransportCases.MX, 25, Optional.empty(), MessageDemands.NONE, TransportCaseTableTest.CTX);
    final SessionObservation failed = new SessionObservation(TransportCases.MX, "192.0.2.25:25",
            new StartTlsOutcome(StartTlsOutcome.Status.HANDSHAKE_FAILED, "Received fatal alert: handshake_failure"),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.of(TransportCases.MX));

    private Set<FindingCode> codes(HandshakeEvidence ev) {
        TransportVerdict v = decision.judge(req, failed, TransportCaseTableTest.CTX, ev);
        assertThat(v.action()).isEqualTo(Action.REFUSE);
        return v.findings().stream().map(Finding::code).collect(Collectors.toSet());
    }

    private static HandshakeEvidence alert(String alert) {
        return new HandshakeEvidence(Optional.of(alert), 12, false, List.of());
    }

    @Test
    void handshakeFailureFromAServerThatNegotiatesTls10IsAVersionProblem() {
        Set<FindingCode> got = codes(alert("handshake_failure").withLegacyVersion(TlsVersion.TLS_1_0));
        assertThat(got).contains(FindingCode.PROTOCOL_NOT_RECOMMENDED, FindingCode.NO_RECOMMENDED_PROTOCOL)
                .doesNotContain(FindingCode.CIPHER_NOT_RECOMMENDED);
        assertThat(codes(alert("insufficient_security").withLegacyVersion(TlsVersion.TLS_1_1)))
                .contains(FindingCode.PROTOCOL_NOT_RECOMMENDED).doesNotContain(FindingCode.CIPHER_NOT_RECOMMENDED);
        TransportVerdict v = decision.judge(req, failed, TransportCaseTableTest.CTX,
                alert("handshake_failure").withLegacyVersion(TlsVersion.TLS_1_0));
        assertThat(v.findings()).anySatisfy(f -> assertThat(f.evidence()).contains("TLS 1.0").contains("handshake_failure"));
    }

    @Test
    void handshakeFailureFromAServerThatNegotiatesTls12WithLegacySuitesIsASuiteProblem() {
        assertThat(codes(alert("handshake_failure").withLegacyVersion(TlsVersion.TLS_1_2)))
                .contains(FindingCode.CIPHER_NOT_RECOMMENDED).doesNotContain(FindingCode.PROTOCOL_NOT_RECOMMENDED);
        assertThat(codes(alert("handshake_failure"))).as("without the second handshake: as before")
                .contains(FindingCode.CIPHER_NOT_RECOMMENDED).doesNotContain(FindingCode.PROTOCOL_NOT_RECOMMENDED);
    }

    @Test
    void protocolVersionNeedsNoSecondHandshake() {
        assertThat(codes(alert("protocol_version"))).contains(FindingCode.PROTOCOL_NOT_RECOMMENDED,
                FindingCode.NO_RECOMMENDED_PROTOCOL);
    }

    @Test
    void anAlertAfterTheChainIsNotExplainedByTheVersion() {
        HandshakeEvidence afterChain = new HandshakeEvidence(Optional.of("handshake_failure"), 12, true, List.of())
                .withLegacyVersion(TlsVersion.TLS_1_0);
        assertThat(afterChain.refusedClientHello()).isFalse();
        assertThat(codes(afterChain)).doesNotContain(FindingCode.PROTOCOL_NOT_RECOMMENDED);
    }
}
