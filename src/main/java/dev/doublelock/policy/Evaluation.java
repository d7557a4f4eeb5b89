package dev.doublelock.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;
import dev.doublelock.tls.ChainAssessment;

/**
 * The inputs of one evaluation run, handed to every {@link Check}: the target server (or domain facts), the
 * context, and the chain assessment computed once on first use.
 */
final class Evaluation {
    private final Optional<Target> target;
    private final Optional<MailDomainFacts> domain;
    private final PolicyContext ctx;
    private ChainAssessment assessment;

    Evaluation(Optional<Target> target, Optional<MailDomainFacts> domain, PolicyContext ctx) {
        this.target = target;
        this.domain = domain;
        this.ctx = ctx;
    }

    Optional<Target> target() {
        return target;
    }

    /** The target if a TLS session could be established with it; checks of TLS parameters need this. */
    Optional<Target> tls() {
        return target.filter(Target::tlsEstablished);
    }

    /** The chain assessment, if TLS was established and the server sent certificates. */
    Optional<ChainAssessment> chain() {
        Optional<Target> t = tls().filter(x -> !x.chain().isEmpty());
        if (t.isEmpty()) return Optional.empty();
        if (assessment == null) {
            assessment = ctx.inspector().inspect(t.get().chain(), t.get().referenceName(), ctx.now());
        }
        return Optional.of(assessment);
    }

    Optional<MailDomainFacts> domain() {
        return domain;
    }

    PolicyContext ctx() {
        return ctx;
    }

    int year() {
        return ctx.complianceYear();
    }

    String endpoint() {
        return target.map(Target::endpoint).orElse(domain.map(MailDomainFacts::domain).orElse(""));
    }

    String certificateSubject(CertificateFacts c) {
        return endpoint() + " certificate #" + c.index() + " (" + c.label() + ")";
    }

    /** The most severe of {@code rules} that {@code breached} accepts (first wins among equals). */
    static Optional<Rule> worst(List<Rule> rules, Predicate<Rule> breached) {
        return rules.stream().filter(breached)
                .max(Comparator.comparing(Rule::severity).thenComparing(r -> -rules.indexOf(r)));
    }

    static Finding finding(FindingCode code, Rule rule, String subject, String evidence, String fix) {
        String message = rule.why().isEmpty() ? fix : fix + " " + rule.why();
        return new Finding(code, rule.severity(), subject, evidence, rule.reference(), message);
    }
}
