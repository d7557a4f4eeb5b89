package dev.doublelock.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.finding.Finding;
import dev.doublelock.policy.Policy;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.dane.DaneLookup;
import dev.doublelock.policy.dane.DaneStatus;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.policy.mtasts.StsLookupResult;
import dev.doublelock.policy.transport.DomainFacts;
import dev.doublelock.policy.transport.LocalMode;
import dev.doublelock.policy.transport.MessageDemands;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.policy.transport.TransportRules;
import dev.doublelock.tls.ChainInspector;
import dev.doublelock.tls.probe.TlsProber;

/**
 * The checker: target → DNS (MX, DANE, MTA-STS, TLS-RPT) → one probe per MX host address → policy → report.
 * MX hosts and their addresses are probed concurrently on virtual threads; the prober caps connections per
 * IP address. Thread-safe: one runner serves a whole batch.
 */
public final class CheckRunner {
    private final MailResolver resolver;
    private final TlsProber prober;
    private final PolicyEngine engine;
    private final CheckOptions options;
    private final StsLookup sts;
    private final ChainInspector inspector;
    private final TransportDecision decision;
    private final Optional<ProbeCache> probes;

    /**
     * @param resolver for MX, addresses, TLSA and TXT (DNSSEC-validating)
     * @param sts      MTA-STS discovery (uses {@code resolver} for its TXT record)
     */
    public CheckRunner(MailResolver resolver, TlsProber prober, Policy policy, CheckOptions options, StsLookup sts) {
        this.resolver = resolver;
        this.prober = prober;
        this.engine = new PolicyEngine(policy);
        this.options = options;
        this.sts = sts;
        this.inspector = new ChainInspector(options.extraAnchors(), true);
        // the checker shows what an enforcing relay with this policy would do
        this.decision = new TransportDecision(engine, LocalMode.ENFORCE);
        this.probes = options.probeReuse() > 0 ? Optional.of(new ProbeCache(options.probeReuse())) : Optional.empty();
    }

    /** Endpoints really probed so far, and host checks that reused one of those probes (0, 0 without reuse). */
    public ProbeCount probeCount() {
        return probes.map(c -> new ProbeCount(c.probes(), c.reuses())).orElse(new ProbeCount(0, 0));
    }

    /** @param probed endpoints probed; @param reused host checks that used an earlier probe of the same address */
    public record ProbeCount(int probed, int reused) {
    }

    public Policy policy() {
        return engine.policy();
    }

    /** Checks one target; never throws for anything the network or DNS does. */
    public CheckReport check(Target target) {
        PolicyContext ctx = new PolicyContext(inspector, options.clock().instant(), options.complianceYear());
        EndpointCheck endpoint = new EndpointCheck(prober, decision, ctx, probes);
        return switch (target) {
            case Target.Endpoint e -> checkEndpoint(e, endpoint, ctx);
            case Target.Domain d -> new DomainCheck(d.name(), endpoint, ctx).run();
        };
    }

    private CheckReport checkEndpoint(Target.Endpoint e, EndpointCheck endpoint, PolicyContext ctx) {
        String reference = options.referenceName().orElse(e.host());
        List<HostReport> hosts = new ArrayList<>();
        List<InetAddress> addresses;
        try {
            addresses = endpointAddresses(e.host());
        } catch (UnknownHostException ex) {
            hosts.add(new HostReport(e.host(), Optional.empty(), e.port(),
                    List.of(TransportRules.unreachable(e.display(), "no address for " + e.host() + ": " + ex.getMessage(),
                            "Could not find the host's address; check the spelling or give an IP address."))));
            return new CheckReport(e.display(), engine.policy().name(), ctx.now(), hosts, Optional.empty(), List.of());
        }
        // an endpoint the user named is like a static route: the local policy alone decides
        TransportRequirement req = decision.require(DomainFacts.staticRoute(e.host()), reference, e.port(),
                Optional.empty(), MessageDemands.NONE, ctx);
        hosts.addAll(probeAll(addresses.stream().map(a -> (java.util.concurrent.Callable<HostReport>)
                () -> endpoint.run(e.host(), a, e.port(), e.transport().orElse(prober.options().transport()), reference, req))
                .toList()));
        return new CheckReport(e.display(), engine.policy().name(), ctx.now(), hosts, Optional.empty(), List.of());
    }

    /** An IP literal as is; a name via DNS, then the system's resolution (/etc/hosts knows "localhost"). */
    private List<InetAddress> endpointAddresses(String host) throws UnknownHostException {
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            if (resolver.addresses(host) instanceof Lookup.Found<List<InetAddress>> f && !f.value().isEmpty()) {
                return f.value();
            }
        }
        return Arrays.asList(InetAddress.getAllByName(host));
    }

    static List<HostReport> probeAll(List<java.util.concurrent.Callable<HostReport>> jobs) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HostReport>> futures = jobs.stream().map(pool::submit).toList();
            List<HostReport> out = new ArrayList<>();
            for (Future<HostReport> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException ex) {
                    throw new IllegalStateException("internal error while checking: " + ex.getCause(), ex.getCause());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ex);
                }
            }
            return out;
        }
    }

    /** The domain half: MX, addresses and DANE per MX host, MTA-STS, TLS-RPT. */
    private final class DomainCheck {
        private final String domain;
        private final EndpointCheck endpoint;
        private final PolicyContext ctx;
        private final List<Finding> domainFindings = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        DomainCheck(String domain, EndpointCheck endpoint, PolicyContext ctx) {
            this.domain = domain;
            this.endpoint = endpoint;
            this.ctx = ctx;
        }

        CheckReport run() {
            Lookup<List<MxHost>> mx = resolver.mx(domain);
            Optional<String> dnssecWithheld = resolverWithholdsDnssec();
            String status = mxStatus(mx);
            List<MxHost> mxHosts = mx instanceof Lookup.Found<List<MxHost>> f ? f.value() : List.of();
            List<DaneStatus> daneStatuses = mxHosts.stream().map(h -> new DaneLookup().lookup(resolver, h.name(),
                    CheckOptions.SMTP_PORT)).toList();
            Optional<StsLookupResult> stsResult = mxHosts.isEmpty() ? Optional.empty() : Optional.of(sts.lookup(domain));
            DomainFacts facts = new DomainFacts(domain, true, mx.authentic(), dnssecWithheld, stsResult);
            List<java.util.concurrent.Callable<HostReport>> jobs = new ArrayList<>();
            for (int i = 0; i < mxHosts.size(); i++) {
                TransportRequirement req = decision.require(facts, mxHosts.get(i).name(), options.smtpPort(),
                        Optional.of(daneStatuses.get(i)), MessageDemands.NONE, ctx);
                req.notes().stream().filter(n -> !domainFindings.contains(n)).forEach(domainFindings::add);
                jobs.addAll(hostJobs(mxHosts.get(i), req));
            }
            List<HostReport> hosts = new ArrayList<>(probeAll(jobs));
            List<DomainReport.DaneOfHost> dane = new ArrayList<>();
            for (int i = 0; i < mxHosts.size(); i++) {
                dane.add(daneOfHost(mxHosts.get(i).name(), daneStatuses.get(i), hosts));
            }
            DomainPolicies.Result pol = stsResult.map(r -> new DomainPolicies(resolver).run(domain, r))
                    .orElse(DomainPolicies.Result.none());
            domainFindings.addAll(pol.findings());
            notes.addAll(pol.notes());
            DomainReport report = new DomainReport(domain, mxHosts.stream()
                    .map(h -> new DomainReport.Mx(h.name(), h.preference(), h.implicit())).toList(), status,
                    mx.authentic(), dane, pol.mtaSts(), pol.mtaStsMx(), pol.tlsRpt(), notes);
            return new CheckReport(domain, engine.policy().name(), ctx.now(), hosts, Optional.of(report), domainFindings);
        }

        /**
         * The probe's evidence when the resolver strips DNSSEC data: DNSSEC, DANE and the rules built on them
         * (tr-03108) could not be checked, which is the resolver's doing, not the domain's. The dns package then reads
         * answers as not validated (never Bogus); the transport decision reports it once (UNREACHABLE, incomplete)
         * and the MX hosts are still probed and judged.
         */
        private Optional<String> resolverWithholdsDnssec() {
            dev.doublelock.dns.DnssecSupport support = resolver.dnssecSupport();
            return support.withheld() ? Optional.of(support.evidence()) : Optional.empty();
        }

        private String mxStatus(Lookup<List<MxHost>> mx) {
            return switch (mx) {
                case Lookup.Found<List<MxHost>> f when f.value().size() == 1 && f.value().getFirst().implicit() -> {
                    notes.add(domain + " has no MX records: senders deliver to the domain itself (implicit MX, RFC 5321 §5.1)");
                    yield "implicit";
                }
                case Lookup.Found<List<MxHost>> f -> "found";
                case Lookup.NullMx<List<MxHost>> n -> {
                    notes.add(domain + " publishes a null MX (RFC 7505): it accepts no mail, so there is no mail "
                            + "server to check");
                    yield "null-mx";
                }
                case Lookup.NxDomain<List<MxHost>> n -> unreachable("nxdomain", "the domain " + domain + " does not exist",
                        "Check the spelling of the domain.");
                case Lookup.NoData<List<MxHost>> n -> unreachable("nodata", "no MX answer for " + domain,
                        "Check the domain's DNS.");
                case Lookup.ServFail<List<MxHost>> s -> unreachable("servfail", "MX lookup failed: " + s.reason(),
                        "The DNS did not answer; try again later or give --resolver.");
                case Lookup.Timeout<List<MxHost>> t -> unreachable("timeout", "MX lookup timed out",
                        "The DNS did not answer in time; try again later or give --resolver.");
                case Lookup.Bogus<List<MxHost>> b -> {
                    domainFindings.add(TransportRules.dnssecBogus(domain, "MX " + domain + ": " + b.reason()));
                    yield "bogus";
                }
            };
        }

        private String unreachable(String status, String evidence, String fix) {
            domainFindings.add(TransportRules.unreachable(domain, evidence, fix));
            return status;
        }

        private List<java.util.concurrent.Callable<HostReport>> hostJobs(MxHost mx, TransportRequirement req) {
            String reference = options.referenceName().orElse(mx.name());
            int port = options.smtpPort();
            Lookup<List<InetAddress>> addresses = resolver.addresses(mx.name());
            if (addresses instanceof Lookup.Found<List<InetAddress>> f && !f.value().isEmpty()) {
                return f.value().stream().map(a -> (java.util.concurrent.Callable<HostReport>)
                        () -> endpoint.run(mx.name(), a, port, prober.options().transport(), reference, req)).toList();
            }
            Finding why = addresses instanceof Lookup.Bogus<List<InetAddress>> b
                    ? TransportRules.dnssecBogus(mx.name(), "addresses of " + mx.name() + ": " + b.reason())
                    : TransportRules.unreachable(mx.name(), "no address for MX host " + mx.name() + " (" + addresses + ")",
                    "Senders cannot reach this MX host: publish its A/AAAA records or remove the MX record.");
            HostReport report = new HostReport(mx.name(), Optional.empty(), port, List.of(why));
            return List.of(() -> report);
        }

        private DomainReport.DaneOfHost daneOfHost(String host, DaneStatus status, List<HostReport> hosts) {
            return switch (status) {
                case DaneStatus.None n -> new DomainReport.DaneOfHost(host, "none", n.reason());
                case DaneStatus.Bogus b -> new DomainReport.DaneOfHost(host, "bogus", b.reason());
                case DaneStatus.ServFail s -> new DomainReport.DaneOfHost(host, "error", s.reason());
                case DaneStatus.Records r when !r.usable() -> new DomainReport.DaneOfHost(host, "unusable",
                        r.records().size() + " TLSA record(s) at " + r.tlsaName() + ", none usable for SMTP (RFC 7672 §3.1.3)");
                case DaneStatus.Records r -> {
                    boolean mismatch = hosts.stream().filter(h -> h.name().equals(host)).anyMatch(h -> h.findings()
                            .stream().anyMatch(f -> f.code() == dev.doublelock.finding.FindingCode.DANE_TLSA_MISMATCH));
                    boolean seen = hosts.stream().anyMatch(h -> h.name().equals(host) && h.chain().isPresent());
                    yield new DomainReport.DaneOfHost(host, mismatch ? "mismatch" : seen ? "match" : "unverified",
                            r.records().size() + " TLSA record(s) at " + r.tlsaName() + ": " + r.records());
                }
            };
        }
    }
}
