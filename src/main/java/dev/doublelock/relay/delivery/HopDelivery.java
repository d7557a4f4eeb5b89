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
        return attempt(hop, address, stance, authentication, mail, false);
    }

    /**
     * @param fresh true to make a new TLS context (no resumption): after a resumed session failed its judgement
     */
    private HopOutcome attempt(Hop hop, InetSocketAddress address, Stance stance, ChainAuthentication authentication,
                               Mail mail, boolean fresh) {
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
                    return attempt(hop, address, stance, authentication, mail, true);
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
                session.quit();
                return new HopOutcome.Sent(ip, used, findings, stance.testing() && !fails.isEmpty(), r);
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
                session.quit();
                return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
            }
            session.close();
            session = SmtpClientSession.connect(dialer, address, hop.host(), clientOptions);
            session.ehlo();
            used = TlsUsed.FALLBACK;
            DeliveryResult r = session.send(mail.mailFrom(), mail.recipients(), mail.mailParams(), mail.withTrace(used));
            session.quit();
            return new HopOutcome.Sent(ip, used, findings, wouldRefuse, r);
        } catch (SmtpClientException e) {
            return new HopOutcome.Failed(ip, used, findings, e);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private static String requirement(Stance stance) {
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
