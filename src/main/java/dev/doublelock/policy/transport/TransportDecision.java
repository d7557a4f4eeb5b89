package dev.doublelock.policy.transport;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.MailDomainFacts;
import dev.doublelock.policy.Policy;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.Rule;
import dev.doublelock.policy.dane.DaneStatus;
import dev.doublelock.policy.mtasts.FetchResult;
import dev.doublelock.policy.mtasts.StsLookupResult;
import dev.doublelock.policy.mtasts.StsPolicy;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

/**
 * The transport decision for one local policy and mode: {@link #require} (what a host is held to) and
 * {@link #judge} (does what was observed meet it). Both the checker and the relay call exactly these.
 *
 * <p>The rules, in one place:
 * <ol>
 *   <li><b>Precedence</b>: DANE when the MX RRset is DNSSEC-secure and the host has TLSA records (RFC 7672 §2.2),
 *       else MTA-STS {@code enforce} (RFC 8461 §5), else the local policy. They only ever raise the bar: TLS becomes
 *       mandatory and the mechanism's own demands refuse even under a report-only local policy or TESTING mode.</li>
 *   <li><b>What DANE supersedes</b>: see {@link DaneMatch} (EE: issuer, names, dates, leaf signature; TA: issuer,
 *       and names judged against the DANE reference names).</li>
 *   <li><b>Report-only</b>: a report-only policy ({@code opportunistic}) or {@code TLS-Required: No} caps the local
 *       policy's findings at WARN; TESTING mode keeps them FAIL but delivers ("would refuse"). The recipient
 *       domain's mechanisms and REQUIRETLS are never capped.</li>
 *   <li><b>Could not check</b>: UNREACHABLE is always INFO and makes a verdict incomplete (a lookup failed: DEFER),
 *       never non-compliant.</li>
 * </ol>
 */
public final class TransportDecision {
    /** What every mechanism that makes TLS mandatory demands of the session itself. */
    private static final Set<FindingCode> TLS_DEMANDS = EnumSet.of(FindingCode.NO_STARTTLS, FindingCode.STARTTLS_FAILED,
            FindingCode.NO_CERTIFICATE);
    /** What PKIX-authenticated TLS demands (MTA-STS, RFC 8461 §4.2; REQUIRETLS, RFC 8689 §4.2). */
    private static final Set<FindingCode> PKIX_DEMANDS = EnumSet.of(FindingCode.UNKNOWN_ISSUER,
            FindingCode.EXPIRED_CERTIFICATE, FindingCode.NOT_YET_VALID_CERTIFICATE, FindingCode.BAD_CERT_DOMAIN,
            FindingCode.NO_RECOMMENDED_PROTOCOL);
    /** What DANE demands (RFC 7672 §2.2, §3). */
    private static final Set<FindingCode> DANE_DEMANDS = EnumSet.of(FindingCode.DANE_TLSA_MISMATCH,
            FindingCode.DNSSEC_BOGUS);
    /** Findings that say the chain did not authenticate by the Web PKI. */
    private static final Set<FindingCode> NOT_PKIX = EnumSet.of(FindingCode.UNKNOWN_ISSUER,
            FindingCode.EXPIRED_CERTIFICATE, FindingCode.NOT_YET_VALID_CERTIFICATE, FindingCode.BAD_CERT_DOMAIN,
            FindingCode.NO_CERTIFICATE);

    /** Findings about the chain itself: when one is there, a failed provider PKIX validation names nothing new. */
    private static final Set<FindingCode> CERTIFICATE_DEFECTS = EnumSet.of(FindingCode.UNKNOWN_ISSUER,
            FindingCode.EXPIRED_CERTIFICATE, FindingCode.NOT_YET_VALID_CERTIFICATE, FindingCode.BAD_CERT_DOMAIN,
            FindingCode.NO_CERTIFICATE, FindingCode.WEAK_SIGNATURE_ALGORITHM, FindingCode.WEAK_KEY);

    private final PolicyEngine engine;
    private final LocalMode mode;

    public TransportDecision(PolicyEngine engine, LocalMode mode) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public PolicyEngine engine() {
        return engine;
    }

    public LocalMode mode() {
        return mode;
    }

    // ------------------------------------------------------------------------------------------------ require

    /**
     * What one host is held to.
     *
     * @param dane the host's DANE lookup; empty if none was made (static route, no resolver, TLS-Required: No)
     */
    public TransportRequirement require(DomainFacts d, String host, int port, Optional<DaneStatus> dane,
                                        MessageDemands msg, PolicyContext ctx) {
        String policy = engine.policy().name();
        boolean policyEnforces = engine.policy().mode() == Policy.Mode.ENFORCE;
        if (msg.tlsRequiredNo()) {
            // RFC 8689 §5: the sender asks that DANE, MTA-STS and the local policy's refusals be ignored
            return new TransportRequirement(d.domain(), host, port, policy, Mechanism.LOCAL_POLICY, false, false, false,
                    false, ChainAuthentication.PKIX, List.of(host), Optional.empty(), List.of(),
                    noPolicy(d, host));
        }
        boolean enforce = policyEnforces && mode == LocalMode.ENFORCE;
        boolean testing = policyEnforces && mode == LocalMode.TESTING;
        Builder b = new Builder(d, host, port, policy, enforce, testing, msg.requireTls());
        if (!d.mxFromDns()) {
            return b.build();
        }
        String subject = host + ":" + port;
        if (d.dnssecWithheld()) {
            b.notes.add(TransportRules.unreachable(d.domain(), d.withheldDnssec().get(), "The resolver returned no DNSSEC "
                    + "data (no signatures), so DNSSEC, DANE and the tr-03108 rules could not be checked; this says nothing "
                    + "about " + d.domain() + ". Check again through a DNSSEC-aware resolver with --resolver HOST:PORT, e.g. "
                    + "a local unbound (--resolver 127.0.0.1:53) or a public one such as Quad9 (9.9.9.9) or "
                    + "Cloudflare (1.1.1.1). MTA-STS and the local policy still apply."));
        }
        Optional<DaneStatus> usableDane = d.mxAuthentic() ? dane : Optional.empty();
        if (usableDane.isPresent()) {
            switch (usableDane.get()) {
                case DaneStatus.None n -> { }
                case DaneStatus.Records r when r.usable() -> {
                    b.mechanism = Mechanism.DANE;
                    b.authentication = new ChainAuthentication.Dane(r.tlsaName(), r.records(),
                            Stream.of(r.baseDomain(), host, d.domain()).distinct().toList());
                    b.report = new ReportPolicy(ReportPolicy.Type.TLSA,
                            r.records().stream().map(Object::toString).toList(), d.domain(), host);
                    return domainRules(b, d, Optional.of(true), ctx).build();
                }
                case DaneStatus.Records r -> {
                    // RFC 7672 §2.2: TLS is mandatory; the local policy still authenticates the chain
                    b.mechanism = Mechanism.DANE;
                    b.notes.add(TransportRules.tlsaUnusable(subject, "DNSSEC-valid TLSA records at " + r.tlsaName()
                            + " but none usable for SMTP (only DANE-TA(2)/DANE-EE(3) with a known selector and matching type)"));
                    b.report = new ReportPolicy(ReportPolicy.Type.TLSA,
                            r.records().stream().map(Object::toString).toList(), d.domain(), host);
                    return domainRules(b, d, Optional.of(false), ctx).build();
                }
                case DaneStatus.Bogus x -> {
                    b.mechanism = Mechanism.DANE;
                    b.notes.add(TransportRules.dnssecBogus(subject, x.reason()));
                    b.skip = new TransportRequirement.Skip(Action.REFUSE, "DNSSEC validation failed for " + host + " ("
                            + x.reason() + "); this host is not used until it validates");
                    return b.build();
                }
                case DaneStatus.ServFail s -> {
                    b.mechanism = Mechanism.DANE;
                    b.notes.add(TransportRules.unreachable(subject, "TLSA lookup failed: " + s.reason(),
                            "Could not tell whether this MX host uses DANE; make its TLSA and address records resolvable. "
                                    + "Its DNSSEC-signed MX forbids delivering without knowing (RFC 7672 §2.2), so it is retried later."));
                    b.skip = new TransportRequirement.Skip(Action.DEFER, "the DANE lookup for " + host + " failed ("
                            + s.reason() + "); its DNSSEC-signed MX forbids delivering without knowing, so it is retried later");
                    return b.build();
                }
            }
        }
        mtaSts(b, d, host, subject);
        if (b.skip == null && msg.requireTls() && !d.mxAuthentic() && !listedByMtaSts(d, host)) {
            b.mechanism = Mechanism.REQUIRETLS;
            b.skip = new TransportRequirement.Skip(Action.REFUSE, "the message requires REQUIRETLS (RFC 8689 §4.2), but "
                    + "the MX records of " + d.domain() + " are not DNSSEC-signed and no MTA-STS policy lists " + host);
        }
        boolean daneKnown = dane.isPresent() && !d.dnssecWithheld();
        return domainRules(b, d, daneKnown ? Optional.of(false) : Optional.empty(), ctx).build();
    }

    /** The local policy's rules about the domain itself (tr-03108: DNSSEC and DANE required). */
    private Builder domainRules(Builder b, DomainFacts d, Optional<Boolean> daneUsable, PolicyContext ctx) {
        Optional<String> sts = d.sts().flatMap(r -> r instanceof StsLookupResult.Active a
                ? Optional.of(a.policy().mode().token()) : Optional.empty());
        MailDomainFacts facts = new MailDomainFacts(d.domain(),
                d.dnssecWithheld() ? Optional.empty() : Optional.of(d.mxAuthentic()),
                d.dnssecWithheld() ? Optional.empty() : daneUsable, sts, Optional.empty());
        List<Finding> found = engine.evaluate(facts, ctx);
        b.notes.addAll(found);
        if (b.enforce && b.skip == null && found.stream().anyMatch(f -> f.severity() == Severity.FAIL)) {
            b.skip = new TransportRequirement.Skip(Action.REFUSE, "the policy " + engine.policy().name() + " requires "
                    + String.join(", ", found.stream().filter(f -> f.severity() == Severity.FAIL)
                    .map(f -> f.code().name()).distinct().toList()) + " of " + d.domain() + " to be fixed first: "
                    + found.stream().filter(f -> f.severity() == Severity.FAIL).map(Finding::evidence).findFirst().orElse(""));
        }
        return b;
    }

    private static void mtaSts(Builder b, DomainFacts d, String host, String subject) {
        if (d.sts().isEmpty()) return;
        switch (d.sts().get()) {
            case StsLookupResult.Active a when a.policy().mode() == StsPolicy.Mode.ENFORCE -> {
                b.report = stsReport(a, d, host);
                b.mechanism = Mechanism.MTA_STS;
                if (!a.policy().matchesMx(host)) {
                    b.notes.add(TransportRules.mxNotInSts(subject, host + " matches none of " + a.policy().mxPatterns()
                            + " (policy id " + a.id() + ", mode enforce)", true, d.domain()));
                    b.skip = new TransportRequirement.Skip(Action.REFUSE, host + " is not listed in the MTA-STS policy of "
                            + d.domain() + " (mode enforce, id " + a.id() + "); this host is not used");
                }
            }
            case StsLookupResult.Active a when a.policy().mode() == StsPolicy.Mode.TESTING -> {
                b.report = stsReport(a, d, host);
                if (!a.policy().matchesMx(host)) {
                    b.notes.add(TransportRules.mxNotInSts(subject, host + " matches none of " + a.policy().mxPatterns()
                            + " (policy id " + a.id() + ", mode testing)", false, d.domain()));
                }
            }
            case StsLookupResult.Active a -> { }
            case StsLookupResult.Failed f -> b.notes.add(TransportRules.stsInvalid(d.domain(), f.failure().tlsRptResultType()
                    + ": " + describe(f.failure()) + " (record id " + f.id() + ")", d.domain()));
            case StsLookupResult.NoPolicy n -> { }
            case StsLookupResult.DnsFailure x -> b.notes.add(TransportRules.unreachable(d.domain(), "MTA-STS: " + x.reason(),
                    "Could not tell whether the domain publishes MTA-STS; try again later."));
        }
    }

    private static ReportPolicy stsReport(StsLookupResult.Active a, DomainFacts d, String host) {
        return new ReportPolicy(ReportPolicy.Type.STS, a.policy().toText().lines().toList(), d.domain(), host);
    }

    private static boolean listedByMtaSts(DomainFacts d, String host) {
        return d.sts().orElse(null) instanceof StsLookupResult.Active a && a.policy().mode() != StsPolicy.Mode.NONE
                && a.policy().matchesMx(host);
    }

    private static ReportPolicy noPolicy(DomainFacts d, String host) {
        return new ReportPolicy(ReportPolicy.Type.NO_POLICY_FOUND, List.of(), d.domain(), host);
    }

    private static String describe(FetchResult r) {
        return switch (r) {
            case FetchResult.Ok ok -> "ok";
            case FetchResult.FetchError e -> e.reason();
            case FetchResult.Invalid i -> i.reason();
            case FetchResult.WebPkiInvalid w -> w.reason();
        };
    }

    private static final class Builder {
        final DomainFacts d;
        final String host;
        final int port;
        final String policy;
        final boolean enforce;
        final boolean testing;
        final boolean requireTls;
        Mechanism mechanism = Mechanism.LOCAL_POLICY;
        ChainAuthentication authentication = ChainAuthentication.PKIX;
        TransportRequirement.Skip skip;
        final List<Finding> notes = new ArrayList<>();
        ReportPolicy report;

        Builder(DomainFacts d, String host, int port, String policy, boolean enforce, boolean testing, boolean requireTls) {
            this.d = d;
            this.host = host;
            this.port = port;
            this.policy = policy;
            this.enforce = enforce;
            this.testing = testing;
            this.requireTls = requireTls;
            this.report = noPolicy(d, host);
        }

        TransportRequirement build() {
            Mechanism m = mechanism == Mechanism.LOCAL_POLICY && requireTls ? Mechanism.REQUIRETLS : mechanism;
            boolean mandatory = enforce || m.raisesTheBar();
            List<String> names = authentication instanceof ChainAuthentication.Dane dane ? dane.referenceNames()
                    : List.of(host);
            return new TransportRequirement(d.domain(), host, port, policy, m, mandatory, enforce, testing, requireTls,
                    authentication, names, Optional.ofNullable(skip), notes, report);
        }
    }

    // -------------------------------------------------------------------------------------------------- judge

    /** Configuration mode: everything the server accepts (the checker's probe). */
    public TransportVerdict judge(TransportRequirement req, ServerObservation o, PolicyContext ctx) {
        List<Finding> base = new ArrayList<>(engine.evaluate(o, ctx));
        StartTlsOutcome.Status st = o.startTls().status();
        if (st == StartTlsOutcome.Status.NOT_OFFERED || st == StartTlsOutcome.Status.REFUSED) {
            // the server answered, and its answer was: no STARTTLS. "Not tested: everything" is not a gap then
            base.removeIf(f -> f.code() == FindingCode.UNREACHABLE);
        }
        return decide(req, base, o.chain(), o.startTls(), o.endpoint(), ctx);
    }

    /** Session mode: the session a client is about to send over, or a handshake that failed. */
    public TransportVerdict judge(TransportRequirement req, SessionObservation s, PolicyContext ctx,
                                  HandshakeEvidence evidence) {
        List<Finding> base = engine.evaluate(s, ctx);
        if (s.startTls().status() == StartTlsOutcome.Status.HANDSHAKE_FAILED) {
            base = explainFailedHandshake(s, ctx, evidence, base);
            if (!evidence.atChain().isEmpty()) {
                // the client aborted on these: they are already the verdict's findings
                return conclude(req, new ArrayList<>(evidence.atChain()), s.startTls(), Optional.empty());
            }
        }
        List<Finding> all = new ArrayList<>(base);
        if (evidence.pkixFailure().isPresent() && s.startTls().isEstablished()
                && req.authentication() instanceof ChainAuthentication.Pkix
                && all.stream().noneMatch(f -> CERTIFICATE_DEFECTS.contains(f.code()))) {
            // the provider's PKIX (with its algorithm constraints) saw something the policy's chain checks did not
            rule("certificate-trusted", ctx).ifPresent(r -> all.add(new Finding(FindingCode.UNKNOWN_ISSUER, r.severity(),
                    s.endpoint() + " certificate #0", "PKIX validation failed: " + evidence.pkixFailure().get(),
                    r.reference(), "The server's chain does not validate against the relay's trust anchors (with the "
                    + "TLS provider's algorithm constraints): send the full chain from a CA the relay trusts.")));
        }
        return decide(req, all, s.chain(), s.startTls(), s.endpoint(), ctx);
    }

    /**
     * What a relay would do with this server under this requirement, from the checker's observation of everything
     * it accepts: the best session the relay could negotiate ({@link SessionForecast}), judged exactly as a live
     * session is. A server that speaks only versions below TLS 1.2 is judged as the relay's failed handshake would be.
     */
    public TransportVerdict forecast(TransportRequirement req, ServerObservation o, PolicyContext ctx) {
        if (req.skip().isPresent()) {
            return skipped(req);
        }
        if (!o.startTls().isEstablished()) {
            SessionObservation none = new SessionObservation(o.referenceName(), o.endpoint(), o.startTls(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
            return judge(req, none, ctx, HandshakeEvidence.NONE);
        }
        List<SessionObservation> candidates = SessionForecast.candidates(o);
        if (candidates.isEmpty()) {
            return judge(req, SessionForecast.legacyOnly(o), ctx,
                    new HandshakeEvidence(Optional.of("protocol_version"), 0, false, List.of()));
        }
        if (req.enforce()) {
            // an enforcing relay offers only the suites the policy allows: the others cannot be negotiated
            List<SessionObservation> offered = candidates.stream()
                    .filter(s -> allowsSuite(s.protocol().orElseThrow(), s.cipherSuite().orElseThrow(), ctx)).toList();
            if (offered.isEmpty()) {
                SessionObservation failed = new SessionObservation(o.referenceName(), o.endpoint(),
                        new StartTlsOutcome(StartTlsOutcome.Status.HANDSHAKE_FAILED, "the server accepts none of the "
                                + "cipher suites the policy allows"), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of(), Optional.of(o.referenceName()));
                return judge(req, failed, ctx, new HandshakeEvidence(Optional.of("handshake_failure"), 1, false, List.of()));
            }
            candidates = offered;
        }
        TransportVerdict best = null;
        for (SessionObservation s : candidates) {
            TransportVerdict v = judge(req, s, ctx, HandshakeEvidence.NONE);
            if (best == null || rank(v) < rank(best)) {
                best = v;
            }
            if (v.action() == Action.DELIVER && v.fails().isEmpty()) {
                break;
            }
        }
        return best;
    }

    /**
     * True if the policy does not FAIL a session with this suite alone: what an enforcing relay offers, and what the
     * forecast lets it negotiate. One judgement for both, so the relay's ClientHello and the checker's forecast
     * cannot drift apart.
     */
    public boolean allowsSuite(TlsVersion version, String suite, PolicyContext ctx) {
        return alone(Optional.of(version), Optional.of(suite), Optional.empty(), ctx, FindingCode.CIPHER_NOT_RECOMMENDED);
    }

    /** True if the policy does not FAIL a TLS 1.3 session with this key-exchange group alone (what the relay offers). */
    public boolean allowsGroup(String group, PolicyContext ctx) {
        return alone(Optional.of(TlsVersion.TLS_1_3), Optional.of("TLS_AES_256_GCM_SHA384"), Optional.of(group), ctx,
                FindingCode.WEAK_KEY_EXCHANGE);
    }

    /** A chainless session with just these parameters, judged for {@code code} only (the missing chain is by construction). */
    private boolean alone(Optional<TlsVersion> version, Optional<String> suite, Optional<String> group, PolicyContext ctx,
                          FindingCode code) {
        SessionObservation o = new SessionObservation("parameter.check", "parameter-check:0", StartTlsOutcome.established(),
                version, suite, group, Optional.empty(), List.of(), Optional.empty());
        return engine.evaluate(o, ctx).stream().noneMatch(f -> f.severity() == Severity.FAIL && f.code() == code);
    }

    /** Lower is better: deliver without FAILs, deliver, then by the number of FAILs. */
    private static int rank(TransportVerdict v) {
        return (v.action() == Action.DELIVER ? 0 : 1000) + v.fails().size();
    }

    /** The verdict for a host that is not connected to at all ({@link TransportRequirement#skip}). */
    public TransportVerdict skipped(TransportRequirement req) {
        TransportRequirement.Skip skip = req.skip().orElseThrow(() -> new IllegalArgumentException("not a skip"));
        return new TransportVerdict(req, skip.action(), req.notes(), Authentication.NONE, false, skip.reason());
    }

    private TransportVerdict decide(TransportRequirement req, List<Finding> findings, List<X509Certificate> chain,
                                    StartTlsOutcome startTls, String endpoint, PolicyContext ctx) {
        Optional<Authentication> auth = Optional.empty();
        if (startTls.isEstablished() && !chain.isEmpty()) {
            if (req.authentication() instanceof ChainAuthentication.Dane dane) {
                DaneMatch.Outcome m = DaneMatch.apply(dane, chain, findings, endpoint, ctx.now());
                findings = new ArrayList<>(m.findings());
                auth = m.authentication();
            } else if (findings.stream().noneMatch(f -> NOT_PKIX.contains(f.code()))) {
                auth = Optional.of(Authentication.PKIX);
            }
        }
        return conclude(req, findings, startTls, auth);
    }

    private TransportVerdict conclude(TransportRequirement req, List<Finding> judged, StartTlsOutcome startTls,
                                      Optional<Authentication> auth) {
        Set<FindingCode> demands = demands(req);
        List<Finding> out = new ArrayList<>();
        for (Finding n : req.notes()) {
            if (!out.contains(n)) out.add(n);
        }
        for (Finding f : judged) {
            Finding g = f;
            if (g.code() == FindingCode.UNREACHABLE) {
                g = g.severity() == Severity.INFO ? g : g.withSeverity(Severity.INFO);
            } else if (demands.contains(g.code()) && g.severity() != Severity.FAIL) {
                g = TransportRules.raised(g, req.mechanism());
            } else if (!req.enforce() && !req.testing() && !demands.contains(g.code()) && g.severity() == Severity.FAIL) {
                g = g.withSeverity(Severity.WARN); // report-only: the local policy's findings are capped
            }
            if (!out.contains(g)) out.add(g);
        }
        boolean mandatoryFail = out.stream().anyMatch(f -> f.severity() == Severity.FAIL && demands.contains(f.code()));
        boolean localFail = out.stream().anyMatch(f -> f.severity() == Severity.FAIL);
        boolean unreachable = out.stream().anyMatch(f -> f.code() == FindingCode.UNREACHABLE);
        Action action;
        String reason;
        boolean wouldRefuse = false;
        if (req.skip().isPresent()) {
            action = req.skip().get().action();
            reason = req.skip().get().reason();
        } else if (mandatoryFail || (localFail && req.enforce())) {
            action = Action.REFUSE;
            reason = (mandatoryFail && req.mechanism().raisesTheBar() ? "the " + describe(req.mechanism())
                    : "the policy " + req.policy()) + " refuses this server: " + String.join(", ",
                    out.stream().filter(f -> f.severity() == Severity.FAIL).map(f -> f.code().name()).distinct().toList());
        } else if (!startTls.isEstablished() && unreachable && !localFail) {
            action = Action.DEFER;
            reason = "could not check " + req.host() + ": " + out.stream().filter(f -> f.code() == FindingCode.UNREACHABLE)
                    .map(Finding::evidence).findFirst().orElse("");
        } else if (!startTls.isEstablished() && req.tlsMandatory()) {
            action = Action.REFUSE;
            reason = "no TLS with " + req.host() + " (" + startTls.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + "), and " + (req.mechanism().raisesTheBar() ? "the " + describe(req.mechanism())
                    : "the policy " + req.policy()) + " makes TLS mandatory";
        } else {
            action = Action.DELIVER;
            wouldRefuse = req.testing() && localFail;
            reason = startTls.isEstablished() ? "TLS meets the requirement" : "delivered without TLS (opportunistic)";
        }
        // a host that is not used at all is not authenticated by anything, whatever its chain
        Authentication a = req.skip().isPresent() ? Authentication.NONE : auth.orElse(Authentication.NONE);
        out.sort(Comparator.comparing(Finding::severity).reversed());
        return new TransportVerdict(req, action, out, a, wouldRefuse, reason);
    }

    private static String describe(Mechanism m) {
        return switch (m) {
            case DANE -> "recipient domain's DANE records (RFC 7672)";
            case MTA_STS -> "recipient domain's MTA-STS policy (RFC 8461)";
            case REQUIRETLS -> "message's REQUIRETLS (RFC 8689)";
            case LOCAL_POLICY -> "local policy";
        };
    }

    /** The codes the requirement's mechanism demands, which refuse whatever the local policy's mode. */
    private static Set<FindingCode> demands(TransportRequirement req) {
        Set<FindingCode> s = EnumSet.noneOf(FindingCode.class);
        if (req.mechanism().raisesTheBar() || req.requireTls()) {
            s.addAll(TLS_DEMANDS);
        }
        boolean dane = req.authentication() instanceof ChainAuthentication.Dane;
        if (req.mechanism() == Mechanism.DANE) {
            s.addAll(DANE_DEMANDS);
        }
        if (dane) {
            s.addAll(EnumSet.of(FindingCode.EXPIRED_CERTIFICATE, FindingCode.NOT_YET_VALID_CERTIFICATE,
                    FindingCode.BAD_CERT_DOMAIN)); // what is left of them after a DANE-TA match
        } else if (req.mechanism() == Mechanism.MTA_STS || req.requireTls()) {
            s.addAll(PKIX_DEMANDS);
        }
        return s;
    }

    /**
     * A failed handshake explained by the most specific evidence: {@code protocol_version} while TLS 1.3 and 1.2
     * were offered means the server speaks only older versions; {@code handshake_failure}/{@code
     * insufficient_security} before any certificate, while only the policy's suites were offered, means it accepts
     * none of them; else the engine's STARTTLS_FAILED.
     */
    private List<Finding> explainFailedHandshake(SessionObservation s, PolicyContext ctx, HandshakeEvidence ev,
                                                 List<Finding> base) {
        String alert = ev.alert().orElse("");
        String detail = s.startTls().detail();
        List<Finding> out = new ArrayList<>();
        boolean olderOnly = ev.refusedClientHello() && ev.legacyVersion().filter(v -> v.compareTo(TlsVersion.TLS_1_2) < 0)
                .isPresent();
        if (alert.equals("protocol_version") || olderOnly) {
            String evidence = alert.equals("protocol_version")
                    ? "the server answered an offer of TLS 1.3 and TLS 1.2 with protocol_version: it speaks only an "
                    + "older version (" + detail + ")"
                    : "the server answered an offer of TLS 1.3 and TLS 1.2 with " + alert + " (" + detail + "), and "
                    + "negotiated " + ev.legacyVersion().get().displayName() + " when only TLS 1.2 to 1.0 was offered: "
                    + "it speaks only an older version (GnuTLS answers versions it lacks with " + alert + ")";
            rule("protocol-versions", ctx).ifPresent(r -> out.add(new Finding(FindingCode.PROTOCOL_NOT_RECOMMENDED,
                    r.severity(), s.endpoint(), evidence, r.reference(),
                    "Enable TLS 1.2 and TLS 1.3 on this server and disable TLS 1.0/1.1 (Postfix: "
                            + "smtpd_tls_protocols = >=TLSv1.2; Exim with GnuTLS: tls_require_ciphers = "
                            + "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2).")));
            rule("recommended-protocol", ctx).ifPresent(r -> out.add(new Finding(FindingCode.NO_RECOMMENDED_PROTOCOL,
                    r.severity(), s.endpoint(), "neither TLS 1.3 nor TLS 1.2 could be negotiated", r.reference(),
                    "Enable TLS 1.2 or TLS 1.3 on this server; a current OpenSSL supports them out of the box.")));
        } else if (ev.refusedClientHello() && ev.suitesOffered() > 0) {
            rule("cipher-suites", ctx).ifPresent(r -> out.add(new Finding(FindingCode.CIPHER_NOT_RECOMMENDED,
                    r.severity(), s.endpoint(), "no cipher suite in common with the " + ev.suitesOffered()
                    + " suites the policy allows (" + detail + ")"
                    + ev.legacyVersion().map(v -> "; it negotiates " + v.displayName() + " with legacy suites")
                            .orElse(""), r.reference(),
                    "Offer ECDHE key exchange with AES-GCM (TLS 1.2) and TLS 1.3; suites without forward secrecy "
                            + "are refused.")));
        }
        return out.isEmpty() ? base : out;
    }

    /** The most severe rule of a check type in the policy (capped at WARN under report-only). */
    private Optional<Rule> rule(String check, PolicyContext ctx) {
        Optional<Rule> r = engine.policy().rulesFor(check, ctx.complianceYear()).stream()
                .max(Comparator.comparing(Rule::severity));
        return r.map(x -> engine.policy().mode() == Policy.Mode.REPORT_ONLY && x.severity() == Severity.FAIL
                ? new Rule(x.id(), x.check(), Severity.WARN, x.source(), x.why(), x.fromYear(), x.untilYear(), x.params())
                : x);
    }
}
