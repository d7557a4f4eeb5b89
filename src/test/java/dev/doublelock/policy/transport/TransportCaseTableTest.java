package dev.doublelock.policy.transport;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.Verdict;
import dev.doublelock.tls.CertFixture;
import dev.doublelock.tls.ChainInspector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared case table through both paths: the checker's (requirement + the prober's observation of the server,
 * and its forecast of the relay) and the relay's (requirement + the live session). Same verdict, or the test fails.
 */
class TransportCaseTableTest {
    static final PolicyContext CTX = new PolicyContext(
            new ChainInspector(List.of(TransportCases.WEB.root().cert()), false), CertFixture.NOW,
            CertFixture.NOW.atZone(java.time.ZoneOffset.UTC).getYear());

    static List<TransportCases.Case> cases() {
        return TransportCases.all();
    }

    @Test
    void theTableIsBigEnough() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases().stream().map(TransportCases.Case::name).collect(Collectors.toSet())).hasSize(cases().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkerAndRelayAgree(TransportCases.Case c) {
        TransportDecision decision = new TransportDecision(new PolicyEngine(Policies.resolve(c.policy())), c.mode());
        TransportRequirement req = decision.require(c.facts(), TransportCases.MX, 25, c.dane(), c.msg(), CTX);

        TransportVerdict relay = req.skip().isPresent() ? decision.skipped(req)
                : decision.judge(req, c.session(), CTX, HandshakeEvidence.NONE);
        TransportVerdict checker = decision.judge(req, c.server(), CTX);
        TransportVerdict forecast = decision.forecast(req, c.server(), CTX);

        assertThat(relay.action()).as("relay action; findings %s", relay.findings()).isEqualTo(c.expectAction());
        assertThat(Set.copyOf(relay.failCodes())).as("relay FAIL codes; %s", relay.findings()).isEqualTo(c.expectFails());
        assertThat(Set.copyOf(checker.failCodes())).as("checker FAIL codes; %s", checker.findings()).isEqualTo(c.expectFails());
        assertThat(checker.action()).as("checker action").isEqualTo(c.expectAction());
        assertThat(forecast.action()).as("checker's forecast of the relay").isEqualTo(relay.action());
        assertThat(forecast.failCodes()).containsExactlyInAnyOrderElementsOf(relay.failCodes());
        c.expectAuth().ifPresent(a -> {
            assertThat(relay.authenticatedBy()).as("relay authentication").isEqualTo(a);
            assertThat(checker.authenticatedBy()).as("checker authentication").isEqualTo(a);
        });
        // one rule string format everywhere: "ID (SOURCE)"
        for (Finding f : relay.findings()) {
            assertThat(f.rule()).as("rule of %s", f.code()).matches("[a-z0-9][a-z0-9.-]* \\(.+\\)");
        }
        // FAIL means refuse, unless TESTING mode records it as "would refuse"
        if (!relay.fails().isEmpty() && relay.action() == Action.DELIVER) {
            assertThat(relay.wouldRefuse()).as("a delivered FAIL is a testing-mode preview").isTrue();
        }
        // UNREACHABLE is never a FAIL and makes a verdict incomplete
        assertThat(relay.findings()).filteredOn(f -> f.code() == FindingCode.UNREACHABLE)
                .allMatch(f -> f.severity() == Severity.INFO);
        if (relay.action() == Action.DEFER) {
            assertThat(relay.compliance()).isEqualTo(Verdict.INCOMPLETE);
        }
    }

    @Test
    void aResolverThatWithholdsDnssecMakesTheVerdictIncomplete() {
        TransportCases.Case c = cases().stream().filter(x -> x.dnssecWithheld()).findFirst().orElseThrow();
        TransportDecision decision = new TransportDecision(new PolicyEngine(Policies.resolve(c.policy())), c.mode());
        TransportRequirement req = decision.require(c.facts(), TransportCases.MX, 25, c.dane(), c.msg(), CTX);
        TransportVerdict v = decision.judge(req, c.server(), CTX);
        assertThat(v.compliance()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(v.findings()).extracting(Finding::code).contains(FindingCode.UNREACHABLE).doesNotContain(FindingCode.NO_DANE);
    }

    @Test
    void reportPolicyNamesTheMechanism() {
        TransportCases.Case dane = cases().stream().filter(x -> x.name().startsWith("dane-ee 3 1 1 match")).findFirst().orElseThrow();
        TransportDecision decision = new TransportDecision(new PolicyEngine(Policies.resolve("bsi")), LocalMode.ENFORCE);
        TransportRequirement req = decision.require(dane.facts(), TransportCases.MX, 25, dane.dane(), dane.msg(), CTX);
        assertThat(req.mechanism()).isEqualTo(Mechanism.DANE);
        assertThat(req.report().type()).isEqualTo(ReportPolicy.Type.TLSA);
        assertThat(req.report().policyStrings()).singleElement().asString().startsWith("3 1 1 ");
        TransportCases.Case sts = cases().stream().filter(x -> x.name().equals("mta-sts enforce, listed, good")).findFirst().orElseThrow();
        TransportRequirement r2 = decision.require(sts.facts(), TransportCases.MX, 25, sts.dane(), sts.msg(), CTX);
        assertThat(r2.mechanism()).isEqualTo(Mechanism.MTA_STS);
        assertThat(r2.report().type()).isEqualTo(ReportPolicy.Type.STS);
        assertThat(r2.report().policyStrings()).contains("mode: enforce", "mx: " + TransportCases.MX);
    }

    @SuppressWarnings("unused")
    private static Instant now() {
        return CertFixture.NOW;
    }
}
