package dev.doublelock.lab;

import dev.doublelock.smtp.Reply;
import dev.doublelock.tlsrpt.ReceivedReport;

import java.time.Clock;
import java.util.Locale;

/**
 * Where the lab takes TLS reports (RFC 8460) in: mail to {@value #MAILBOX}@ any lab name (§5.3), and POSTs (§5.4) to
 * {@code https://tlsrpt.<zone>/tlsrpt} on the policy host and to the lab web's {@code /tlsrpt} ({@link TlsReportPost}). A report is read, checked against RFC 8460's schema and stored once per
 * organization and report-id; what is not a report is refused with a reply that says why:
 * <ul>
 *   <li>mail: 250 2.0.0 stored (or a duplicate); 550 5.6.0 not a valid report (RFC 3463: media error); 552 5.3.4
 *   larger than {@value #MAX_REPORT_MAIL} octets</li>
 *   <li>POST: 201 stored, 200 duplicate; 400 not a valid report; 413 too large; 415 not application/tlsrpt+gzip or
 *   +json</li>
 * </ul>
 */
public final class TlsReportInbox {
    /** The local part that makes a recipient the report mailbox, at any of the lab's names. */
    public static final String MAILBOX = "tlsrpt";
    /** A report mail kept whole at most (a gzip report of a few MB, base64-encoded). */
    public static final int MAX_REPORT_MAIL = 8 * 1024 * 1024;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsReportInbox.class);

    private final RecordStore store;
    private final Clock clock;

    public TlsReportInbox(RecordStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** True for {@code tlsrpt@anything}. */
    public static boolean isReportAddress(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && address.substring(0, at).toLowerCase(Locale.ROOT).equals(MAILBOX);
    }

    /** Takes a report mail; {@code size} is the whole message's, {@code content} what was kept of it. */
    public Reply acceptMail(byte[] content, long size, String client) {
        if (size > content.length || size > MAX_REPORT_MAIL) {
            return Reply.of(552, "5.3.4", "TLS report too large: the lab takes report mail up to " + MAX_REPORT_MAIL + " octets");
        }
        try {
            ReceivedReport report = ReceivedReport.fromMail(content);
            return store(report, TlsReportRecord.Via.MAIL, client)
                    ? Reply.of(250, "2.0.0", "TLS report " + report.reportId() + " from " + report.organization() + " stored")
                    : Reply.of(250, "2.0.0", "TLS report " + report.reportId() + " from " + report.organization()
                    + " already stored (duplicate)");
        } catch (ReceivedReport.InvalidReportException e) {
            LOG.info("lab: refused a TLS report mail from {}: {}", client, e.getMessage());
            return Reply.of(550, "5.6.0", "Not a valid TLS report: " + e.getMessage());
        }
    }

    /** An HTTP answer: status and a line of text. */
    public record Answer(int status, String text) {
    }

    /** Takes a POSTed report; {@code complete} is false when the body was longer than the lab reads. */
    public Answer acceptPost(String contentType, byte[] body, boolean complete, String client) {
        String media = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/tlsrpt+gzip") && !media.equals("application/tlsrpt+json")) {
            return new Answer(415, "POST a TLS report as application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460 §5.4), "
                    + "not " + (media.isEmpty() ? "no Content-Type" : media));
        }
        if (!complete) {
            return new Answer(413, "TLS report too large: the lab takes up to " + MAX_REPORT_MAIL + " octets");
        }
        try {
            ReceivedReport report = ReceivedReport.fromBody(media, body);
            return store(report, TlsReportRecord.Via.POST, client)
                    ? new Answer(201, "TLS report " + report.reportId() + " from " + report.organization() + " stored")
                    : new Answer(200, "TLS report " + report.reportId() + " already stored (duplicate)");
        } catch (ReceivedReport.InvalidReportException e) {
            LOG.info("lab: refused a TLS report POST from {}: {}", client, e.getMessage());
            return new Answer(400, "not a valid TLS report: " + e.getMessage());
        }
    }

    private boolean store(ReceivedReport report, TlsReportRecord.Via via, String client) {
        boolean fresh = store.insertTlsReport(new TlsReportRecord(-1, clock.instant(), via, client, report));
        LOG.info("lab: TLS report {} from {} ({}) by {}{}", report.reportId(), report.organization(), report.contact(),
                via.name().toLowerCase(Locale.ROOT), fresh ? "" : " (duplicate)");
        return fresh;
    }
}
