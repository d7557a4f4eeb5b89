package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.transport.Action;
import dev.doublelock.policy.transport.Authentication;
import dev.doublelock.policy.transport.HandshakeEvidence;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.policy.transport.TransportVerdict;
import dev.doublelock.relay.delivery.JudgingTrustManager.Verification;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.DeliveryResult;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.smtp.client.SmtpClientException;
import dev.doublelock.smtp.client.SmtpClientSession;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsHandshakeResult;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.StartTlsOutcome.Status;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One attempt at one server address: connect, EHLO, STARTTLS with what the policy allows, judge the live
 * session with the policy engine BEFORE MAIL FROM, then either QUIT (refused) or send.
 *
 * <p>Opportunistic delivery (an {@code opportunistic} policy, TESTING mode, {@code TLS-Required: No}) encrypts
 * whenever a TLS handshake is possible, as Postfix {@code may} does: the handshake is unauthenticated
 * ({@link Verification#RECORD_ONLY}): the trust manager still runs every check (policy, PKIX, name) and records
 * its findings with the attempt, but a failure does not stop the encrypted delivery, which is marked unverified
 * in the attempt and the Received header. If the JDK's TLS cannot complete a handshake at all (a server with only
 * TLS 1.0/1.1 or only static-RSA suites, which the JDK's process-wide {@code jdk.tls.disabledAlgorithms} forbids
 * and the relay never relaxes), the SAME hop is tried on a new connection with the legacy engine
 * ({@link dev.doublelock.smtp.client.LegacyTlsConfig}: TLS 1.2 to 1.0, legacy suites, this connection only).
 * Plaintext only when the server offers no STARTTLS, refuses it, or neither engine can complete a handshake; the
 * last two are counted ({@link DeliveryMetrics#plaintextFallbacks()}) and logged. Wherever verified TLS is required
 * (an enforced policy, DANE, MTA-STS enforce, REQUIRETLS) nothing of this applies: verification is REQUIRED and a
 * failed check refuses the hop.
 *
 * <p>The key exchange is judged as part of the session before MAIL FROM: the server's key share is seen through
 * {@link dev.doublelock.tls.EphemeralKeyRecorder} (at TLS 1.2 after the trust manager ran), so a weak group or a
 * small DH prime is refused (WEAK_KEY_EXCHANGE) under an enforced policy, and the cached TLS context is dropped so
 * that its session is not resumed later without that judgement.
 *
 * <p>TLS sessions are resumed when the cached context for this server and policy has one ({@link TlsSetup}). A
 * resumed handshake consults no trust manager, so its chain is judged here before MAIL FROM exactly as a full
 * handshake's would be; if that judgement fails, the session is dropped (with the cached context) and the hop is
 * tried once more with a full handshake, which then decides as usual.
 */
final class HopDelivery {
    private final Dialer dialer;
    private final ClientOptions clientOptions;
    private final TlsSetup tls;
    private final DeliveryMetrics metrics;

    HopDelivery(Dialer dialer, ClientOptions clientOptions, TlsSetup tls, DeliveryMetrics metrics) {
        this.metrics = metrics;
        this.dialer = dialer;
        this.clientOptions = clientOptions;
        this.tls = tls;
    }

    /** What to send. {@code traceHeader} makes the Received header for the TLS actually used. */
    record Mail(String mailFrom, List<String> recipients, Map<String, String> mailParams, byte[] message,
                Function<TlsUsed, byte[]> traceHeader) {
        byte[] withTrace(TlsUsed used) {
            byte[] header = traceHeader.apply(used);
            byte[] out = new byte[header.length + message.length];
            System.arraycopy(header, 0, out, 0, header.length);
            System.arraycopy(message, 0, out, header.length, message.length);
            return out;
        }
    }

    /**
     * @param authentication how the server's chain is authenticated: the Web PKI, or the hop's DANE TLSA records
     */
    HopOutcome attempt(Hop hop, InetSocketAddress address, TransportDecision decision, TransportRequirement req, Mail mail) {
        return attempt(hop, address, decision, req, mail, SessionPool.none(), null);
    }

    /**
     * The same, over a session from {@code pool} when one with {@code key} is open (RSET, then the transaction);
     * a session this attempt opens and judges is offered to the pool afterwards instead of QUIT. If the pooled
     * session turns out broken before the server answered anything about this message, a new connection is made
     * as if there had been no pool.
     *
     * @param key what the decision for this message is; null to use no pool
     */
    HopOutcome attempt(Hop hop, InetSocketAddress address, TransportDecision decision, TransportRequirement req, Mail mail,
                       SessionPool pool, SessionPool.Key key) {
        if (key != null) {
            Optional<HopOutcome> reused = pool.take(key).flatMap(open -> reuse(open, mail, pool, key));
            if (reused.isPresent()) {
                return reused.get();
            }
        }
        return attempt(hop, address, decision, req, mail, false, pool, key);
    }

    /** One more transaction on a judged session; empty if the session broke before the server answered for it. */
    private Optional<HopOutcome> reuse(SessionPool.OpenSession open, Mail mail, SessionPool pool, SessionPool.Key key) {
        SmtpClientSession session = open.session();
        try {
            session.reset();
        } catch (SmtpClientException e) {
            session.close();
            return Optional.empty();
        }
        try {
            DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(open.used()));
            metrics.sessionReused();
            pool.offer(key, open.next());
            return Optional.of(new HopOutcome.Sent(open.ip(), open.used(), open.findings(), open.wouldRefuse(), r));
        } catch (SmtpClientException e) {
            if (!session.isOpen()) {
                // broken mid-transaction (network, 421, garbage): this message gets a new connection
                return Optional.empty();
            }
            // the server answered (or the message cannot go to this server): this message's outcome
            metrics.sessionReused();
            pool.offer(key, open.next());
            return Optional.of(new HopOutcome.Failed(open.ip(), open.used(), open.findings(), e));
        }
    }

    /** Hands the session to the pool, or QUITs it without one; the caller must no longer use or close it. */
    private static void keep(SmtpClientSession session, SessionPool pool, SessionPool.Key key, String ip, TlsUsed used,
                         List<Finding> findings, boolean wouldRefuse) {
        if (key == null) {
            session.quit();
        } else {
            pool.offer(key, new SessionPool.OpenSession(session, ip, used, findings, wouldRefuse,
                    pool.clock().instant(), 1));
        }
    }

    /**
     * @param fresh true to make a new TLS context (no resumption): after a resumed session failed its judgement
     */
    private HopOutcome attempt(Hop hop, InetSocketAddress address, TransportDecision decision, TransportRequirement req,
                               Mail mail, boolean fresh, SessionPool pool, SessionPool.Key key) {
        String ip = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        String endpoint = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + address.getPort();
        PolicyContext ctx = tls.context();
        Verification verification = verification(req);
        TlsUsed used = TlsUsed.NONE;
        List<Finding> findings = List.of();
        SmtpClientSession session = null;
        try {
            session = SmtpClientSession.connect(dialer, address, hop.host(), clientOptions);
            session.ehlo();
            TlsSetup.Prepared prepared = tls.prepare(decision, req, endpoint, hop.isAddressLiteral(), fresh, verification);
            StartTlsOutcome outcome;
            try (ThreadBoundTrustManager.Binding b = prepared.bind()) {
                outcome = session.startTls(prepared.config());
            }
            SessionObservation observation = session.observation();
            if (outcome.isEstablished() && !prepared.trustManager().consulted()) {
                // a resumed session: no trust manager saw it, so judge its chain now, before anything is sent
                try {
                    prepared.trustManager().judgeResumed(observation.chain(), observation.protocol(),
                            observation.cipherSuite());
                    metrics.sessionResumed();
                } catch (java.security.cert.CertificateException e) {
                    metrics.resumptionRejected();
                    tls.forget(prepared);
                    session.quit();
                    session = null;
                    return attempt(hop, address, decision, req, mail, true, pool, key);
                }
            }
            // the whole session, now with its key exchange (at TLS 1.2 the trust manager ran before the
            // ServerKeyExchange showed the group): judged again here, before MAIL FROM
            TransportVerdict verdict = judge(decision, req, ctx, observation, session, prepared);
            HandshakeEvidence evidence = evidence(session, prepared);
            if (outcome.status() == Status.HANDSHAKE_FAILED && evidence.refusedClientHello()
                    && (req.tlsMandatory() || verdict.action() != Action.DELIVER)) {
                // handshake_failure to the ClientHello: a suite or a version the server lacks? A refused hop gets
                // no legacy delivery attempt, so ask once what the server negotiates when offered TLS 1.2 to 1.0
                Optional<TlsVersion> older = legacyVersion(decision, req, hop, address, endpoint);
                if (older.isPresent()) {
                    verdict = decision.judge(req, observation, ctx, evidence.withLegacyVersion(older.get()));
                }
            }
            findings = verdict.findings();
            if (outcome.isEstablished()) {
                used = TlsUsed.tls(observation.protocol().map(v -> v.javaName()), observation.cipherSuite(),
                        verdict.authenticatedBy() != Authentication.NONE && prepared.trustManager().unverified().isEmpty());
                if (verdict.action() != Action.DELIVER) {
                    // the session's keys must not be resumed later without this judgement (no key share then)
                    tls.forget(prepared);
                    session.quit();
                    return new HopOutcome.Refused(ip, used, findings, verdict.reason());
                }
                if (req.requireTls() && !session.ehloResult().map(e -> e.supports("REQUIRETLS")).orElse(false)) {
                    session.quit();
                    return new HopOutcome.Refused(ip, used, findings, "the message requires REQUIRETLS (RFC 8689) "
                            + "but " + hop.host() + " does not advertise it");
                }
                if (used.unverified()) {
                    metrics.unverifiedTlsUsed();
                }
                DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(used));
                boolean wouldRefuse = verdict.wouldRefuse();
                keep(session, pool, key, ip, used, findings, wouldRefuse);
                session = null;
                return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
            }
            if (req.tlsMandatory() || verdict.action() != Action.DELIVER) {
                session.quit();
                return new HopOutcome.Refused(ip, used, findings, verdict.action() != Action.DELIVER ? verdict.reason()
                        : "no verified TLS with " + hop.host() + ": "
                        + outcome.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + (outcome.detail().isBlank() ? "" : " (" + outcome.detail() + ")"));
            }
            if (outcome.status() != Status.HANDSHAKE_FAILED && session.ehloResult().isPresent() && isOpen(outcome)) {
                // no STARTTLS, or refused: no TLS handshake is possible on this server
                boolean wouldRefuse = verdict.wouldRefuse();
                used = outcome.status() == Status.NOT_OFFERED ? TlsUsed.NONE : TlsUsed.FALLBACK;
                if (used.plaintextFallback()) {
                    plaintextFallback(req, hop, ip, outcome.status() + " " + outcome.detail());
                }
                DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(used));
                keep(session, pool, key, ip, used, findings, wouldRefuse);
                session = null;
                return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
            }
            session.close();
            // the JDK cannot complete the handshake (TLS 1.0/1.1 only, static-RSA only, ...): unauthenticated TLS
            // with the legacy engine on a new connection, as Postfix "may" would encrypt; plaintext only if that fails
            session = SmtpClientSession.connect(dialer, address, hop.host(), clientOptions);
            session.ehlo();
            TlsSetup.Prepared legacy = tls.prepare(decision, req, endpoint, hop.isAddressLiteral(), false,
                    Verification.RECORD_ONLY);
            StartTlsOutcome second = session.startLegacyTls(TlsSetup.legacy(legacy));
            if (second.isEstablished()) {
                SessionObservation legacyObservation = session.observation();
                // the JDK's failure stays on record (PROTOCOL_NOT_RECOMMENDED, ...), but not STARTTLS_FAILED: TLS worked
                TransportVerdict legacyVerdict = judge(decision, req, ctx, legacyObservation, session, legacy);
                if (legacyObservation.protocol().isPresent() && evidence.refusedClientHello()) {
                    // the JDK's handshake_failure explained by the version this server just negotiated
                    findings = decision.judge(req, observation, ctx,
                            evidence.withLegacyVersion(legacyObservation.protocol().get())).findings();
                }
                findings = merged(findings.stream().filter(x -> x.code() != dev.doublelock.finding.FindingCode.STARTTLS_FAILED)
                        .toList(), legacyVerdict.findings());
                boolean failing = findings.stream().anyMatch(f -> f.severity() == dev.doublelock.finding.Severity.FAIL);
                used = TlsUsed.tls(legacyObservation.protocol().map(v -> v.javaName()), legacyObservation.cipherSuite(),
                        false);
                metrics.legacyTlsUsed();
                if (used.unverified()) {
                    metrics.unverifiedTlsUsed();
                }
                boolean wouldRefuse = req.testing() && failing;
                DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(used));
                // not pooled: the pool's sessions are the JDK's, judged under the hop's normal requirement
                session.quit();
                session = null;
                return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
            }
            boolean wouldRefuse = verdict.wouldRefuse() || (req.testing() && !verdict.fails().isEmpty());
            plaintextFallback(req, hop, ip, outcome.detail() + "; legacy engine: " + second.detail());
            if (!session.isOpen() || second.status() == Status.HANDSHAKE_FAILED) {
                if (session.isOpen()) {
                    session.close();
                }
                session = SmtpClientSession.connect(dialer, address, hop.host(), clientOptions);
                session.ehlo();
            }
            used = TlsUsed.FALLBACK;
            DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(used));
            keep(session, pool, key, ip, used, findings, wouldRefuse);
            session = null;
            return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
        } catch (SmtpClientException e) {
            return new HopOutcome.Failed(ip, used, findings, e);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /**
     * RECORD_ONLY (unauthenticated TLS, the verdict recorded) exactly where the requirement would otherwise accept
     * plaintext: never with DANE, an enforced MTA-STS policy, REQUIRETLS or an enforced local policy.
     */
    static Verification verification(TransportRequirement req) {
        return req.verified() ? Verification.REQUIRED : Verification.RECORD_ONLY;
    }

    /** The whole session (or the failed handshake) judged by the transport decision, before anything is sent. */
    private static TransportVerdict judge(TransportDecision decision, TransportRequirement req, PolicyContext ctx,
                                          SessionObservation observation, SmtpClientSession session,
                                          TlsSetup.Prepared prepared) {
        return decision.judge(req, observation, ctx, evidence(session, prepared));
    }

    private static HandshakeEvidence evidence(SmtpClientSession session, TlsSetup.Prepared prepared) {
        Optional<String> alert = session.handshake().filter(h -> h instanceof TlsHandshakeResult.Failed)
                .map(h -> ((TlsHandshakeResult.Failed) h).alert()).filter(a -> !a.isBlank());
        return prepared.trustManager().evidence(alert, prepared.config().cipherSuites().size());
    }

    /**
     * The version the server negotiates with the legacy engine (TLS 1.2 to 1.0, legacy suites) on a new connection
     * that is closed right after the handshake: nothing is sent over it. Empty if no ServerHello came back (the
     * handshake fails before the chain) or the connection does not get that far.
     */
    private Optional<TlsVersion> legacyVersion(TransportDecision decision, TransportRequirement req, Hop hop,
                                               InetSocketAddress address, String endpoint) {
        SmtpClientSession probe = null;
        try {
            probe = SmtpClientSession.connect(dialer, address, hop.host(), clientOptions);
            probe.ehlo();
            TlsSetup.Prepared legacy = tls.prepare(decision, req, endpoint, hop.isAddressLiteral(), false,
                    verification(req));
            StartTlsOutcome o = probe.startLegacyTls(TlsSetup.legacy(legacy));
            // under a verified requirement the legacy engine's chain is always rejected: its ServerHello still told
            return o.isEstablished() ? probe.observation().protocol() : legacy.trustManager().negotiatedProtocol();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            if (probe != null) {
                probe.close();
            }
        }
    }

    /** {@code first}, then each finding of {@code more} whose code {@code first} does not have yet. */
    private static List<Finding> merged(List<Finding> first, List<Finding> more) {
        List<Finding> out = new java.util.ArrayList<>(first);
        for (Finding f : more) {
            if (out.stream().noneMatch(o -> o.code() == f.code())) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    /** Counts (and in TESTING mode logs) a delivery in plaintext to a server that offered STARTTLS. */
    private void plaintextFallback(TransportRequirement req, Hop hop, String ip, String why) {
        metrics.plaintextFallback();
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HopDelivery.class);
        if (req.testing()) {
            log.warn("TESTING mode: {} ({}) offered STARTTLS but no TLS could be spoken with it; delivering in "
                    + "PLAINTEXT: {}", hop.host(), ip, why);
        } else {
            log.info("{} ({}): no TLS could be spoken, delivering in plaintext: {}", hop.host(), ip, why);
        }
    }


    /** A 421 to STARTTLS closes the connection; other refusals leave it usable. */
    private static boolean isOpen(StartTlsOutcome outcome) {
        return !(outcome.status() == Status.REFUSED && outcome.detail().startsWith("421"));
    }

    static Optional<String> describe(List<Finding> findings) {
        return findings.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", findings.stream().map(f -> f.code() + ": " + f.evidence()).toList()));
    }
}
