package dev.doublelock.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import dev.doublelock.finding.Finding;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.policy.transport.TransportVerdict;
import dev.doublelock.tls.ChainAssessment;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.probe.ProbeTarget;
import dev.doublelock.tls.probe.TlsProber;
import dev.doublelock.tls.probe.Transport;

/**
 * One endpoint, one address: probe it (over SMTP STARTTLS, implicit or plain TLS) and hand the observation to the transport decision —
 * the same one the relay uses — for the verdict on everything the server accepts and for what the relay would do
 * with it. Decides nothing itself.
 */
final class EndpointCheck {
    private final TlsProber prober;
    private final TransportDecision decision;
    private final PolicyContext ctx;
    private final Optional<ProbeCache> cache;

    /** @param cache where probes of an address are shared between MX names and targets; empty: probe every time */
    EndpointCheck(TlsProber prober, TransportDecision decision, PolicyContext ctx, Optional<ProbeCache> cache) {
        this.prober = prober;
        this.decision = decision;
        this.ctx = ctx;
        this.cache = cache;
    }

    /**
     * @param name          the host name shown in the report
     * @param transport     how TLS starts there (SMTP STARTTLS, implicit TLS, plain TLS)
     * @param referenceName the name the certificate must carry
     * @param requirement   what the host is held to; its notes (findings about the domain) are reported once, with
     *                      the domain, not with every address
     */
    HostReport run(String name, InetAddress address, int port, Transport transport, String referenceName,
                   TransportRequirement requirement) {
        ProbeTarget target = new ProbeTarget(new InetSocketAddress(address, port), transport, referenceName,
                prober.options().ehloName());
        ProbeCache.Probed probed = cache.map(c -> c.get(new ProbeCache.Key(address, port, transport), referenceName,
                        () -> prober.probe(target)))
                .orElseGet(() -> new ProbeCache.Probed(prober.probe(target), referenceName, false));
        ServerObservation o = probed.observation();
        TransportVerdict verdict = decision.judge(requirement, o, ctx);
        TransportVerdict relay = decision.forecast(requirement, o, ctx);
        List<Finding> findings = verdict.findings().stream().filter(f -> !requirement.notes().contains(f)).toList();
        Optional<ChainAssessment> chain = o.chain().isEmpty() ? Optional.empty()
                : Optional.of(ctx.inspector().inspect(o.chain(), o.referenceName(), ctx.now()));
        Optional<String> probedAs = probed.probedAs().equalsIgnoreCase(referenceName) ? Optional.empty()
                : Optional.of(probed.probedAs());
        return new HostReport(name, Optional.of(address.getHostAddress()), port, Optional.of(o), chain, findings,
                Optional.of(relay), probedAs);
    }
}
