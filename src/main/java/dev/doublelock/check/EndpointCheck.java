package dev.doublelock.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.dane.DaneResult;
import dev.doublelock.policy.dane.DaneStatus;
import dev.doublelock.policy.dane.TlsaMatcher;
import dev.doublelock.tls.CertificateFacts;
import dev.doublelock.tls.ChainAssessment;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.probe.ProbeTarget;
import dev.doublelock.tls.probe.TlsProber;
import dev.doublelock.tls.probe.Transport;

/**
 * One endpoint, one address: probe it over SMTP STARTTLS, judge the observation under the policy, and match the
 * chain against the host's TLSA records when DNSSEC-valid ones exist.
 */
final class EndpointCheck {
    /** Certificate findings that a DANE-EE(3) match makes moot (RFC 7672 §3.1.1: no name, date or PKIX checks). */
    private static final Set<FindingCode> MOOT_UNDER_DANE_EE = Set.of(FindingCode.UNKNOWN_ISSUER,
            FindingCode.EXPIRED_CERTIFICATE, FindingCode.NOT_YET_VALID_CERTIFICATE, FindingCode.BAD_CERT_DOMAIN);

    private final TlsProber prober;
    private final PolicyEngine engine;
    private final PolicyContext ctx;
    private final DnsFindings dns;

    EndpointCheck(TlsProber prober, PolicyEngine engine, PolicyContext ctx, DnsFindings dns) {
        this.prober = prober;
        this.engine = engine;
        this.ctx = ctx;
        this.dns = dns;
    }

    /**
     * @param name          the host name shown in the report
     * @param referenceName the name the certificate must carry
     * @param dane          the host's DANE status, empty for endpoints (no TLSA lookup)
     */
    HostReport run(String name, InetAddress address, int port, String referenceName, Optional<DaneStatus> dane) {
        ProbeTarget target = new ProbeTarget(new InetSocketAddress(address, port), Transport.SMTP_STARTTLS, referenceName);
        ServerObservation o = prober.probe(target);
        List<Finding> findings = new ArrayList<>(engine.evaluate(o, ctx));
        if (definitelyWithoutTls(o)) {
            // "not tested: everything" is the whole answer here, not a gap: there is no TLS to test
            findings.removeIf(f -> f.code() == FindingCode.UNREACHABLE);
        }
        Optional<ChainAssessment> chain = o.chain().isEmpty() ? Optional.empty()
                : Optional.of(ctx.inspector().inspect(o.chain(), o.referenceName(), ctx.now()));
        dane.ifPresent(d -> applyDane(d, o, findings));
        return new HostReport(name, Optional.of(address.getHostAddress()), port, Optional.of(o), chain, findings);
    }

    /** The server answered, and its answer was: no STARTTLS (not offered, or refused with a reply). */
    private static boolean definitelyWithoutTls(ServerObservation o) {
        return o.startTls().status() == StartTlsOutcome.Status.NOT_OFFERED
                || o.startTls().status() == StartTlsOutcome.Status.REFUSED;
    }

    private void applyDane(DaneStatus status, ServerObservation o, List<Finding> findings) {
        if (!(status instanceof DaneStatus.Records r) || !r.usable() || o.chain().isEmpty()) return;
        switch (TlsaMatcher.match(r.records(), o.chain())) {
            case DaneResult.Mismatch m -> findings.add(dns.tlsaMismatch(o.endpoint(), m.usableRecords()
                    + " usable TLSA record(s) at " + r.tlsaName() + ", none matches the " + m.certificates()
                    + " certificate(s) presented; leaf SHA-256 " + CertificateFacts.of(0, o.chain().getFirst()).sha256Fingerprint()));
            case DaneResult.Matched m when m.record().usage() == 3 ->
                    findings.removeIf(f -> MOOT_UNDER_DANE_EE.contains(f.code()));
            case DaneResult.Matched m -> findings.removeIf(f -> f.code() == FindingCode.UNKNOWN_ISSUER);
            case DaneResult.NoUsableRecords n -> { }
        }
    }
}
