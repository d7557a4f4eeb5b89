package dev.doublelock.lab;

import dev.doublelock.message.Message;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.ClientTlsConfig;
import dev.doublelock.smtp.client.DeliveryResult;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.smtp.client.SmtpClientSession;
import dev.doublelock.tls.StartTlsOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the optional report mail to a sender that failed a lab test. Rules: never to the null sender (those
 * are bounces and reports themselves), never twice per MAIL FROM domain within the interval, always from the
 * null envelope sender with {@code Auto-Submitted: auto-generated} (RFC 3834) so nothing answers it. It
 * delivers over verified STARTTLS where offered and refuses to downgrade after a failed handshake.
 */
public final class ReportMailer {
    private static final Logger LOG = LoggerFactory.getLogger(ReportMailer.class);

    private final ReportMailOptions options;
    private final Optional<MailResolver> resolver;
    private final Dialer dialer;
    private final Clock clock;
    private final String ehloName;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    public ReportMailer(ReportMailOptions options, Optional<MailResolver> resolver, Dialer dialer, Clock clock, String ehloName) {
        this.options = options;
        this.resolver = resolver;
        this.dialer = dialer;
        this.clock = clock;
        this.ehloName = ehloName;
    }

    /** Decides whether a record deserves a report; sends it in the background if so. */
    public boolean consider(SessionRecord r) {
        if (!options.enabled() || !r.verdict().failsTest()) return false;
        if (r.mailFrom() == null || r.mailFrom().isEmpty() || r.mailFromDomain().isEmpty()) return false;
        String domain = r.mailFromDomain();
        Instant now = clock.instant();
        boolean[] due = {false};
        lastSent.compute(domain, (d, previous) -> {
            if (previous == null || !previous.plus(options.perDomainInterval()).isAfter(now)) {
                due[0] = true;
                return now;
            }
            return previous;
        });
        if (!due[0]) return false;
        Thread.ofVirtual().name("lab-report-" + domain).start(() -> send(r));
        return true;
    }

    static byte[] compose(SessionRecord r, String from, Instant now) {
        LabProfile profile = LabProfile.byName(r.profile()).orElseThrow();
        StringBuilder text = new StringBuilder();
        text.append("Your mail system delivered a message to a doublelock lab endpoint that is broken on purpose.\r\n\r\n");
        text.append("  endpoint profile: ").append(profile.profileName()).append("\r\n");
        text.append("  what it presents: ").append(profile.defects()).append("\r\n");
        text.append("  your client:      ").append(r.sender()).append("\r\n");
        text.append("  when:             ").append(r.startedAt()).append("\r\n");
        text.append("  what happened:    ").append(r.verdict()).append(" (").append(r.verdict().words()).append(")\r\n");
        if (r.tlsProtocol() != null) {
            text.append("  TLS used:         ").append(r.tlsProtocol()).append(' ').append(r.tlsCipher()).append("\r\n");
        }
        text.append("\r\nA sender that insists on TLS that deserves the name would have refused: ");
        text.append(profile.expectedFindings().isEmpty() ? "(nothing: this endpoint is good)"
                : String.join(", ", profile.expectedFindings().stream().map(Enum::name).toList()));
        text.append(".\r\n\r\nHow to fix it: authenticate receiving servers (Postfix: smtp_tls_security_level = dane or verify,\r\n"
                + "with MTA-STS via postfix-mta-sts-resolver) and refuse TLS below 1.2, or route mail through a\r\n"
                + "policy-enforcing relay such as 'doublelock relay'.\r\n\r\n"
                + "You get at most one such report per day for your domain. This message was sent automatically.\r\n");
        return Message.builder()
                .header("From", "doublelock lab <" + from + ">")
                .header("To", "<" + r.mailFrom() + ">")
                .header("Subject", "Your mail system delivered over insecure TLS (" + profile.profileName() + ")")
                .date(now)
                .header("Message-ID", "<report-" + r.sessionId() + "@" + from.substring(from.indexOf('@') + 1) + ">")
                .header("Auto-Submitted", "auto-generated")
                .text(text.toString()).build().toBytes();
    }

    private void send(SessionRecord r) {
        byte[] message = compose(r, options.from(), clock.instant());
        for (InetSocketAddress hop : hops(r.mailFromDomain())) {
            try (SmtpClientSession s = SmtpClientSession.connect(dialer, hop, hop.getHostString(), ClientOptions.defaults(ehloName))) {
                s.ehlo();
                StartTlsOutcome tls = s.startTls(ClientTlsConfig.verifying(SSLContext.getDefault(), hop.getHostString()));
                if (tls.status() == StartTlsOutcome.Status.HANDSHAKE_FAILED) {
                    LOG.info("report to {}: TLS with {} failed ({}); not downgrading", r.mailFrom(), hop, tls.detail());
                    continue;
                }
                DeliveryResult result = s.send("", List.of(r.mailFrom()), Map.of(), message);
                s.quit();
                if (result.anyAccepted()) return;
            } catch (Exception e) {
                LOG.info("report to {} via {} failed: {}", r.mailFrom(), hop, e.toString());
            }
        }
    }

    private List<InetSocketAddress> hops(String domain) {
        if (options.relay().isPresent()) return List.of(options.relay().get());
        List<InetSocketAddress> out = new ArrayList<>();
        if (resolver.isPresent() && resolver.get().mx(domain) instanceof Lookup.Found<List<MxHost>> found) {
            for (MxHost mx : found.value()) out.add(new InetSocketAddress(mx.name(), 25));
        }
        return out;
    }
}
