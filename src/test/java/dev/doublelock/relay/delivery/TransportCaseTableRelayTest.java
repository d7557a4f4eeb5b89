package dev.doublelock.relay.delivery;

import java.security.cert.CertificateException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.doublelock.policy.Policies;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.transport.Action;
import dev.doublelock.policy.transport.HandshakeEvidence;
import dev.doublelock.policy.transport.TransportCases;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.policy.transport.TransportVerdict;
import dev.doublelock.tls.CertFixture;
import dev.doublelock.tls.ChainInspector;
import dev.doublelock.tls.PkixTrust;
import dev.doublelock.tls.TlsVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared transport case table through the relay's own code: the {@link JudgingTrustManager} the relay's
 * handshakes consult (with the TLS provider's PKIX validation as extra evidence), then the judgement after the
 * handshake as {@link HopDelivery} makes it. Same expectations as the checker path in
 * {@code policy.transport.TransportCaseTableTest}: the two cannot drift.
 */
class TransportCaseTableRelayTest {
    static final PolicyContext CTX = new PolicyContext(
            new ChainInspector(List.of(TransportCases.WEB.root().cert()), false), CertFixture.NOW,
            CertFixture.NOW.atZone(java.time.ZoneOffset.UTC).getYear());

    static List<TransportCases.Case> cases() {
        return TransportCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theRelaysTrustManagerDecidesAsTheTable(TransportCases.Case c) {
        TransportDecision decision = new TransportDecision(new PolicyEngine(Policies.resolve(c.policy())), c.mode());
        TransportRequirement req = decision.require(c.facts(), TransportCases.MX, 25, c.dane(), c.msg(), CTX);
        TransportVerdict verdict;
        boolean handshakeAborted = false;
        if (req.skip().isPresent()) {
            verdict = decision.skipped(req); // MessageRun: the host is not connected to at all
        } else if (!c.startTls().isEstablished()) {
            verdict = decision.judge(req, c.session(), CTX, HandshakeEvidence.NONE);
        } else {
            JudgingTrustManager tm = new JudgingTrustManager(
                    PkixTrust.trustManager(List.of(TransportCases.WEB.root().cert())), decision, req, CTX,
                    "192.0.2.25:25", Optional.of(TransportCases.MX), HopDelivery.verification(req));
            try {
                tm.judgeResumed(c.chain(), Optional.of(TlsVersion.TLS_1_2), Optional.of(c.suite()));
            } catch (CertificateException e) {
                handshakeAborted = true;
            }
            assertThat(tm.verdict()).as("the trust manager asked the transport decision").isPresent();
            // after the handshake, before MAIL FROM: the whole session, as HopDelivery judges it
            verdict = handshakeAborted ? tm.verdict().get()
                    : decision.judge(req, c.session(), CTX, tm.evidence(Optional.empty(), 1));
            if (req.verified() && tm.verdict().get().action() != Action.DELIVER) {
                assertThat(handshakeAborted).as("verified TLS aborts the handshake on a refusal").isTrue();
            }
            if (!req.verified()) {
                assertThat(handshakeAborted).as("unauthenticated TLS never aborts: it would go plaintext").isFalse();
            }
        }
        assertThat(verdict.action()).as("relay action; %s", verdict.findings()).isEqualTo(c.expectAction());
        assertThat(Set.copyOf(verdict.failCodes())).as("relay FAIL codes; %s", verdict.findings())
                .isEqualTo(c.expectFails());
    }
}
