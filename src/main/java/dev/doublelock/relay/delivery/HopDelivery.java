package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.DeliveryResult;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.smtp.client.SmtpClientException;
import dev.doublelock.smtp.client.SmtpClientSession;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.StartTlsOutcome.Status;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One attempt at one server address: connect, EHLO, STARTTLS with what the policy allows, judge the live
 * session with the policy engine BEFORE MAIL FROM, then either QUIT (refused) or send.
 *
 * <p>Opportunistic delivery (an {@code opportunistic} policy, TESTING mode, {@code TLS-Required: No}) follows
 * Postfix {@code may} without ever accepting an unverified certificate: TLS is tried with full verification;
 * if the server offers no STARTTLS or refuses it, the same connection continues in plaintext; if the
 * handshake fails (certificate, protocol or suite), the SAME hop is tried again in plaintext on a new
 * connection — as Postfix {@code may} does after a failed handshake. An unverifiable server thus gets the
 * mail unencrypted rather than encrypted-to-whoever-answers; doublelock has no trust-everything manager.
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
    HopOutcome attempt(Hop hop, InetSocketAddress address, Stance stance, ChainAuthentication authentication, Mail mail) {
        return attempt(hop, address, stance, authentication, mail, SessionPool.none(), null);
    }

    /**
     * The same, over a session from {@code pool} when one with {@code key} is open (RSET, then the transaction);
     * a session this attempt opens and judges is offered to the pool afterwards instead of QUIT. If the pooled
     * session turns out broken before the server answered anything about this message, a new connection is made
     * as if there had been no pool.
     *
     * @param key what the decision for this message is; null to use no pool
     */
    HopOutcome attempt(Hop hop, InetSocketAddress address, Stance stance, ChainAuthentication authentication, Mail mail,
                       SessionPool pool, SessionPool.Key key) {
        if (key != null) {
            Optional<HopOutcome> reused = pool.take(key).flatMap(open -> reuse(open, mail, pool, key));
            if (reused.isPresent()) {
                return reused.get();
            }
        }
        return attempt(hop, address, stance, authentication, mail, false, pool, key);
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
    private HopOutcome attempt(Hop hop, InetSocketAddress address, Stance stance, ChainAuthentication authentication,
                               Mail mail, boolean fresh, SessionPool pool, SessionPool.Key key) {
        String ip = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        String endpoint = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + address.getPort();
        PolicyContext ctx = tls.context();
        TlsUsed used = TlsUsed.NONE;
        List<Finding> findings = List.of();
        SmtpClientSession session = null;
        try {
            session = SmtpClientSession.connect(dialer, address, hop.host(), clientOptions);
            session.ehlo();
            TlsSetup.Prepared prepared = tls.prepare(stance.engine(), hop.host(), endpoint, stance.enforcePolicy(),
                    hop.isAddressLiteral(), authentication, requirement(stance), fresh);
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
                    return attempt(hop, address, stance, authentication, mail, true, pool, key);
                }
            }
            findings = SessionJudgement.judge(stance.engine(), ctx, observation, session.handshake(),
                    prepared.trustManager(), prepared.config().cipherSuites().size());
            List<Finding> fails = SessionJudgement.fails(findings);
            if (outcome.isEstablished()) {
                used = new TlsUsed(observation.protocol().map(v -> v.javaName()), observation.cipherSuite(), false);
                if (stance.enforcePolicy() && !fails.isEmpty()) {
                    session.quit();
                    return new HopOutcome.Refused(ip, used, findings, "the policy " + stance.engine().policy().name()
                            + " refuses this session");
                }
                if (stance.requireTls() && !session.ehloResult().map(e -> e.supports("REQUIRETLS")).orElse(false)) {
                    session.quit();
                    return new HopOutcome.Refused(ip, used, findings, "the message requires REQUIRETLS (RFC 8689) "
                            + "but " + hop.host() + " does not advertise it");
                }
                DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(used));
                boolean wouldRefuse = stance.testing() && !fails.isEmpty();
                keep(session, pool, key, ip, used, findings, wouldRefuse);
                session = null;
                return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
            }
            if (stance.requireVerified()) {
                session.quit();
                return new HopOutcome.Refused(ip, used, findings, "no verified TLS with " + hop.host() + ": "
                        + outcome.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + (outcome.detail().isBlank() ? "" : " (" + outcome.detail() + ")"));
            }
            boolean wouldRefuse = stance.testing() && !fails.isEmpty();
            if (outcome.status() != Status.HANDSHAKE_FAILED && session.ehloResult().isPresent() && isOpen(outcome)) {
                used = outcome.status() == Status.NOT_OFFERED ? TlsUsed.NONE : TlsUsed.FALLBACK;
                DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(used));
                keep(session, pool, key, ip, used, findings, wouldRefuse);
                session = null;
                return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
            }
            session.close();
            session = SmtpClientSession.connect(dialer, address, hop.host(), clientOptions);
            session.ehlo();
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

    static String requirement(Stance stance) {
        return stance.label() + (stance.requireVerified() ? "+verified" : "") + (stance.enforcePolicy() ? "+enforced" : "");
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
