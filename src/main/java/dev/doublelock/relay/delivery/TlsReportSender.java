package dev.doublelock.relay.delivery;

import dev.doublelock.dkim.DkimSigner;
import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.message.Message;
import dev.doublelock.message.MultipartReport;
import dev.doublelock.policy.mtasts.TlsRptRecord;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.tlsrpt.AggregateReport;
import dev.doublelock.tlsrpt.ResultCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.doublelock.io.ResolvedHttps;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends the TLS reports (RFC 8460 §5) of one UTC day: for every recipient domain with counted sessions that
 * publishes {@code _smtp._tls} with {@code v=TLSRPTv1}, one report, claimed in the queue database so that one node
 * sends it, to every {@code rua}: {@code mailto:} as a DKIM-signed {@code multipart/report; report-type=tlsrpt}
 * with the gzip JSON attached, through the relay's own queue (its retries; the null reverse-path, so a failing
 * report makes no bounce), and {@code https:} as a POST of {@code application/tlsrpt+gzip} to the rua host's
 * addresses from the relay's own resolver (never the operating system's: the same DNS as its MX, TLSA and MTA-STS
 * lookups), with SNI and Web PKI host name verification against the trust it is given ({@link ResolvedHttps}),
 * one deadline of {@value #POST_TIMEOUT_SECONDS} s for the whole exchange. Sessions that deliver
 * reports are not counted themselves (their Message-IDs start with {@value #MESSAGE_ID_PREFIX}): never a report
 * about a report.
 */
public final class TlsReportSender {
    /** Message-IDs of TLS reports start with this; the delivery side does not count their sessions. */
    public static final String MESSAGE_ID_PREFIX = "<tlsrpt.";
    private static final Logger LOG = LoggerFactory.getLogger(TlsReportSender.class);
    private static final int MAX_RUA = 10;
    static final int POST_TIMEOUT_SECONDS = 30;
    /** The collector's answer is read up to this (a line of text is expected). */
    private static final int MAX_ANSWER_BYTES = 16 * 1024;

    /** What sending one day's reports did, per domain. */
    public record Sent(String domain, List<String> destinations, String note) {
    }

    private final QueueStore store;
    private final MailResolver resolver;
    private final TlsReportSettings settings;
    private final SSLContext httpsTrust;
    private final Clock clock;
    private final String nodeId;

    /**
     * @param httpsTrust whose trust decides whether an https collector's certificate is valid (the JDK's CA store
     *                   plus the relay's configured extra trust, {@link #httpsTrust})
     */
    public TlsReportSender(QueueStore store, MailResolver resolver, TlsReportSettings settings, SSLContext httpsTrust,
                           Clock clock, String nodeId) {
        this.store = Objects.requireNonNull(store, "store");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.httpsTrust = Objects.requireNonNull(httpsTrust, "httpsTrust");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    /** Sends the reports of {@code day}; domains another node already claimed are skipped. */
    public List<Sent> send(LocalDate day) {
        List<Sent> out = new ArrayList<>();
        for (Map.Entry<String, List<ResultCount>> e : AggregateReport.byDomain(store.tlsResults(day)).entrySet()) {
            String domain = e.getKey();
            List<URI> rua = rua(domain);
            if (rua.isEmpty()) {
                out.add(new Sent(domain, List.of(), "no _smtp._tls record: nothing to send"));
                continue;
            }
            if (!store.claimTlsReport(day, domain, nodeId)) {
                out.add(new Sent(domain, List.of(), "already sent by another node"));
                continue;
            }
            AggregateReport report = new AggregateReport(settings.organizationName(), settings.contact(),
                    day + "." + domain + "@" + settings.submitter(), day, domain, e.getValue());
            List<String> done = new ArrayList<>();
            for (URI to : rua.subList(0, Math.min(MAX_RUA, rua.size()))) {
                try {
                    switch (to.getScheme().toLowerCase(java.util.Locale.ROOT)) {
                        case "mailto" -> done.add("mailto:" + mail(report, to.getSchemeSpecificPart()));
                        case "https" -> done.add(post(report, to));
                        default -> LOG.info("TLS report for {}: rua {} has a scheme RFC 8460 does not define", domain, to);
                    }
                } catch (RuntimeException ex) {
                    LOG.warn("TLS report for {} to {} failed: {}", domain, to, ex.toString());
                }
            }
            out.add(new Sent(domain, done, report.successfulSessions() + " successful, " + report.failedSessions()
                    + " failed sessions"));
        }
        return out;
    }

    private List<URI> rua(String domain) {
        Lookup<List<String>> txt = resolver.txt(TlsRptRecord.recordName(domain));
        if (!(txt instanceof Lookup.Found<List<String>> found)) {
            return List.of();
        }
        return switch (TlsRptRecord.select(found.value())) {
            case TlsRptRecord.Published.One one -> one.record().rua();
            case TlsRptRecord.Published.Invalid invalid -> {
                LOG.info("TLS report for {}: its _smtp._tls record is invalid ({}); nothing sent", domain, invalid.reason());
                yield List.of();
            }
            case TlsRptRecord.Published.None none -> List.of();
            case TlsRptRecord.Published.Several several -> List.of(); // RFC 8460 §3: exactly one record, else none applies
        };
    }

    /** Composes, signs and enqueues the report mail; returns the address. */
    private String mail(AggregateReport report, String address) {
        Instant now = clock.instant();
        String subject = "Report Domain: " + report.policyDomain() + " Submitter: " + settings.submitter()
                + " Report-ID: <" + report.reportId() + ">";
        MultipartReport body = new MultipartReport("tlsrpt")
                .text(null, "This is an aggregate TLS report (RFC 8460) from " + settings.organizationName()
                        + " for " + report.policyDomain() + " on " + report.day() + " (UTC): "
                        + report.successfulSessions() + " successful and " + report.failedSessions()
                        + " failed TLS sessions.")
                .attachment("application/tlsrpt+gzip", report.filename(settings.submitter()), report.gzip());
        byte[] message = Message.builder()
                .header("From", settings.organizationName().replaceAll("[\"\\\\<>]", "") + " <" + settings.fromAddress() + ">")
                .header("To", "<" + address + ">")
                .header("Subject", subject)
                .date(now)
                .header("Message-ID", MESSAGE_ID_PREFIX + report.day() + "." + report.policyDomain() + "."
                        + now.toEpochMilli() + "@" + settings.submitter() + ">")
                .header("TLS-Report-Domain", report.policyDomain())
                .header("TLS-Report-Submitter", settings.submitter())
                .header("Auto-Submitted", "auto-generated")
                .body(body).build().toBytes();
        byte[] signed = settings.dkim().map(d -> d.sign(message, now)).orElse(message);
        long id = store.enqueue(new Envelope("", List.of(address)), signed);
        LOG.info("TLS report for {} on {} queued as {} to <{}>", report.policyDomain(), report.day(), id, address);
        return address;
    }

    private String post(AggregateReport report, URI to) {
        String host = to.getHost();
        if (host == null || to.getRawUserInfo() != null) throw new IllegalStateException(to + " names no host (or has user info)");
        int port = to.getPort() < 0 ? 443 : to.getPort();
        String path = (to.getRawPath() == null || to.getRawPath().isEmpty() ? "/" : to.getRawPath())
                + (to.getRawQuery() == null ? "" : "?" + to.getRawQuery());
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try {
            ResolvedHttps.Response r = ResolvedHttps.post(httpsTrust, name, port, addresses(name), path,
                    "application/tlsrpt+gzip", report.gzip(), Duration.ofSeconds(POST_TIMEOUT_SECONDS), MAX_ANSWER_BYTES);
            if (r.status() / 100 != 2) {
                throw new IllegalStateException(to + " answered HTTP " + r.status());
            }
            return to.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("POST to " + to + " failed: " + e.getMessage(), e);
        }
    }

    /** An address literal as it is; a name's A/AAAA records from the relay's resolver. */
    private List<InetAddress> addresses(String host) throws java.net.UnknownHostException {
        if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) return List.of(InetAddress.getByName(host)); // a literal: no lookup
        Lookup<List<InetAddress>> found = resolver.addresses(host);
        if (found instanceof Lookup.Found<List<InetAddress>> f && !f.value().isEmpty()) return f.value();
        throw new java.net.UnknownHostException("no address for " + host + " (A/AAAA: " + found + ")");
    }

    /** Trust for https collectors: {@code extraAnchors}, and the JDK's CA store when {@code jdkAnchors}. */
    public static SSLContext httpsTrust(java.util.Collection<java.security.cert.X509Certificate> extraAnchors,
                                        boolean jdkAnchors) {
        List<java.security.cert.X509Certificate> all = new ArrayList<>(extraAnchors);
        if (jdkAnchors) all.addAll(dev.doublelock.tls.ChainInspector.jdkDefaultAnchors());
        return dev.doublelock.tls.PkixTrust.clientContext(all);
    }

    /**
     * Who reports: the organisation's name and contact (RFC 8460 §4.4), the submitter domain (file name, Subject),
     * the From address, and the DKIM signer (RFC 8460 §5.3: reports SHOULD be signed; a relay without a key sends
     * unsigned reports and says so at start).
     */
    public record TlsReportSettings(String organizationName, String contact, String submitter, String fromAddress,
                                    java.util.Optional<DkimSigner> dkim) {
        public TlsReportSettings {
            Objects.requireNonNull(organizationName, "organizationName");
            Objects.requireNonNull(contact, "contact");
            Objects.requireNonNull(submitter, "submitter");
            Objects.requireNonNull(fromAddress, "fromAddress");
            Objects.requireNonNull(dkim, "dkim");
        }
    }
}
