package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueuedMessage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivery status notifications (RFC 3464): a {@code multipart/report; report-type=delivery-status} with
 * three parts — plain words for the sender naming each finding, the machine-readable per-recipient status
 * ({@code Action: failed} or {@code delayed}, Status, Remote-MTA, Diagnostic-Code), and the original
 * message's header as {@code text/rfc822-headers}.
 *
 * <p>A message with the null sender never gets a DSN (RFC 5321 §6.1: no notification about a notification);
 * a DSN itself is sent with the null sender ({@link #envelopeFor}).
 */
public final class DsnBuilder {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private final String postmasterAddress;

    /** @param postmasterAddress the From of the notifications, e.g. {@code postmaster@relay.example.org} */
    public DsnBuilder(String postmasterAddress) {
        this.postmasterAddress = Objects.requireNonNull(postmasterAddress, "postmasterAddress");
    }

    /**
     * The envelope a DSN about {@code m} travels in: null sender, to the original sender; empty when
     * {@code m} has the null sender (then no DSN may be sent).
     */
    public static Optional<Envelope> envelopeFor(QueuedMessage m) {
        if (m.envelope().nullSender()) {
            return Optional.empty();
        }
        return Optional.of(new Envelope("", List.of(m.envelope().mailFrom())));
    }

    /** A non-delivery report: the listed recipients will not get the message. */
    public byte[] bounce(QueuedMessage m, byte[] original, List<RecipientFailure> failures, String reportingMta,
                         Instant now) {
        return build(m, original, failures.stream().map(RecipientFailure::asBounce).toList(), reportingMta, now, false,
                Optional.empty());
    }

    /**
     * A delayed-delivery report: the listed recipients are still being tried until {@code retryUntil}.
     */
    public byte[] delay(QueuedMessage m, byte[] original, List<RecipientFailure> failures, String reportingMta,
                        Instant now, Instant retryUntil) {
        return build(m, original, failures.stream().map(RecipientFailure::asDelay).toList(), reportingMta, now, true,
                Optional.of(retryUntil));
    }

    private byte[] build(QueuedMessage m, byte[] original, List<RecipientFailure> failures, String reportingMta,
                         Instant now, boolean delayed, Optional<Instant> retryUntil) {
        if (m.envelope().nullSender()) {
            throw new IllegalArgumentException("message " + m.id() + " has the null sender <>: no DSN may be sent "
                    + "for it (RFC 5321 §6.1)");
        }
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a DSN needs at least one recipient to report on");
        }
        String boundary = "dsn-" + UUID.randomUUID();
        StringBuilder h = new StringBuilder();
        line(h, "From: Mail Delivery System <" + postmasterAddress + ">");
        line(h, "To: <" + m.envelope().mailFrom() + ">");
        line(h, "Subject: " + (delayed ? "Delayed Mail (still being retried)" : "Undelivered Mail Returned to Sender"));
        line(h, "Date: " + RFC5322.format(now));
        line(h, "Message-ID: <dsn." + m.id() + "." + now.toEpochMilli() + "." + boundary.substring(4, 12) + "@"
                + reportingMta + ">");
        if (!m.messageId().isBlank()) {
            line(h, "In-Reply-To: " + m.messageId());
        }
        line(h, "Auto-Submitted: auto-replied");
        line(h, "MIME-Version: 1.0");
        line(h, "Content-Type: multipart/report; report-type=delivery-status;");
        line(h, "\tboundary=\"" + boundary + "\"");
        line(h, "");
        line(h, "This is a MIME-encapsulated message (RFC 3464 delivery status notification).");
        line(h, "");
        line(h, "--" + boundary);
        line(h, "Content-Description: Notification");
        line(h, "Content-Type: text/plain; charset=utf-8");
        line(h, "Content-Transfer-Encoding: 8bit");
        line(h, "");
        human(h, m, failures, reportingMta, delayed, retryUntil);
        line(h, "");
        line(h, "--" + boundary);
        line(h, "Content-Description: Delivery report");
        line(h, "Content-Type: message/delivery-status");
        line(h, "");
        line(h, "Reporting-MTA: dns; " + reportingMta);
        line(h, "Arrival-Date: " + RFC5322.format(m.queuedAt()));
        for (RecipientFailure f : failures) {
            line(h, "");
            line(h, "Final-Recipient: rfc822; " + f.recipient());
            line(h, "Action: " + (delayed ? "delayed" : "failed"));
            line(h, "Status: " + f.status());
            f.remoteMta().ifPresent(r -> line(h, "Remote-MTA: dns; " + oneLine(r)));
            f.diagnosticCode().ifPresent(d -> line(h, "Diagnostic-Code: smtp; " + oneLine(d)));
            if (f.diagnosticCode().isEmpty() && !f.findings().isEmpty()) {
                line(h, "Diagnostic-Code: X-doublelock; policy refused: " + String.join(" ",
                        f.findings().stream().map(x -> x.code().name()).distinct().toList()));
            }
            retryUntil.ifPresent(t -> line(h, "Will-Retry-Until: " + RFC5322.format(t)));
        }
        line(h, "");
        line(h, "--" + boundary);
        line(h, "Content-Description: Undelivered Message Headers");
        line(h, "Content-Type: text/rfc822-headers");
        line(h, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(headerOf(original));
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void human(StringBuilder h, QueuedMessage m, List<RecipientFailure> failures, String mta,
                              boolean delayed, Optional<Instant> retryUntil) {
        line(h, "This is the mail relay at " + mta + ".");
        line(h, "");
        if (delayed) {
            line(h, "Your message could not be delivered yet to the recipients below. It is still in the queue and");
            line(h, "will be tried again until " + retryUntil.map(RFC5322::format).orElse("the retry period ends")
                    + ". You do not need to send it again.");
        } else {
            line(h, "Your message could not be delivered to the recipients below and has been given up on.");
        }
        line(h, "");
        for (RecipientFailure f : failures) {
            line(h, "<" + f.recipient() + ">:");
            if (!f.explanation().isBlank()) {
                wrap(h, "    ", "    ", oneLine(f.explanation()));
            }
            f.remoteMta().ifPresent(r -> line(h, "    Receiving server: " + oneLine(r)));
            f.diagnosticCode().ifPresent(d -> line(h, "    It answered: " + oneLine(d)));
            for (Finding finding : f.findings()) {
                wrap(h, "    - ", "      ", oneLine(FindingWords.sentence(finding)));
            }
            line(h, "");
        }
        if (failures.stream().anyMatch(f -> !f.findings().isEmpty())) {
            line(h, "This relay sends mail only over encrypted connections that meet its security policy, so that");
            line(h, "nobody on the way can read or alter it. Please forward this notice to the recipient's mail");
            line(h, "administrator: once their server is fixed, mail will flow again.");
        }
    }

    /** The original's header section (up to the empty line), CRLF-terminated, capped at 64 KiB. */
    static byte[] headerOf(byte[] original) {
        int end = original.length;
        for (int i = 0; i + 3 < original.length; i++) {
            if (original[i] == '\r' && original[i + 1] == '\n' && original[i + 2] == '\r' && original[i + 3] == '\n') {
                end = i + 2;
                break;
            }
        }
        end = Math.min(end, MAX_HEADER_BYTES);
        byte[] out = java.util.Arrays.copyOf(original, end);
        if (end >= 2 && (out[end - 2] != '\r' || out[end - 1] != '\n')) {
            byte[] fixed = java.util.Arrays.copyOf(out, end + 2);
            fixed[end] = '\r';
            fixed[end + 1] = '\n';
            return fixed;
        }
        return out;
    }

    /** Word-wraps {@code text} at 78 columns (a word longer than that stays whole). */
    private static void wrap(StringBuilder sb, String first, String next, String text) {
        StringBuilder cur = new StringBuilder(first);
        int startLen = first.length();
        for (String word : text.split(" ")) {
            if (cur.length() > startLen && cur.length() + 1 + word.length() > 78) {
                line(sb, cur.toString());
                cur = new StringBuilder(next);
                startLen = next.length();
            }
            if (cur.length() > startLen) {
                cur.append(' ');
            }
            cur.append(word.length() > 900 ? word.substring(0, 900) + "..." : word);
        }
        line(sb, cur.toString());
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static void line(StringBuilder sb, String text) {
        sb.append(text).append("\r\n");
    }
}
