package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueuedMessage;

import dev.doublelock.message.HeaderField;
import dev.doublelock.message.Message;
import dev.doublelock.message.MessageDate;
import dev.doublelock.message.MultipartReport;

import java.time.Instant;
import java.util.ArrayList;
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
        List<List<HeaderField>> status = new ArrayList<>();
        status.add(List.of(new HeaderField("Reporting-MTA", "dns; " + reportingMta),
                new HeaderField("Arrival-Date", MessageDate.format(m.queuedAt()))));
        for (RecipientFailure f : failures) {
            List<HeaderField> group = new ArrayList<>();
            group.add(new HeaderField("Final-Recipient", "rfc822; " + f.recipient()));
            group.add(new HeaderField("Action", delayed ? "delayed" : "failed"));
            group.add(new HeaderField("Status", f.status()));
            f.remoteMta().ifPresent(r -> group.add(new HeaderField("Remote-MTA", "dns; " + r)));
            f.diagnosticCode().ifPresent(d -> group.add(new HeaderField("Diagnostic-Code", "smtp; " + d)));
            if (f.diagnosticCode().isEmpty() && !f.findings().isEmpty()) {
                group.add(new HeaderField("Diagnostic-Code", "X-doublelock; policy refused: " + String.join(" ",
                        f.findings().stream().map(x -> x.code().name()).distinct().toList())));
            }
            retryUntil.ifPresent(t -> group.add(new HeaderField("Will-Retry-Until", MessageDate.format(t))));
            status.add(group);
        }
        MultipartReport report = new MultipartReport("delivery-status")
                .preamble("This is a MIME-encapsulated message (RFC 3464 delivery status notification).")
                .text("Notification", human(failures, reportingMta, delayed, retryUntil))
                .fields("Delivery report", "message/delivery-status", status)
                .raw("Undelivered Message Headers", "text/rfc822-headers", headerOf(original));
        Message.Builder mail = Message.builder()
                .header("From", "Mail Delivery System <" + postmasterAddress + ">")
                .header("To", "<" + m.envelope().mailFrom() + ">")
                .header("Subject", delayed ? "Delayed Mail (still being retried)" : "Undelivered Mail Returned to Sender")
                .date(now)
                .header("Message-ID", "<dsn." + m.id() + "." + now.toEpochMilli() + "."
                        + UUID.randomUUID().toString().substring(0, 8) + "@" + reportingMta + ">");
        if (!m.messageId().isBlank()) {
            mail.header("In-Reply-To", m.messageId());
        }
        return mail.header("Auto-Submitted", "auto-replied").body(report).build().toBytes();
    }

    private static String human(List<RecipientFailure> failures, String mta, boolean delayed, Optional<Instant> retryUntil) {
        StringBuilder h = new StringBuilder();
        line(h, "This is the mail relay at " + mta + ".");
        line(h, "");
        if (delayed) {
            line(h, "Your message could not be delivered yet to the recipients below. It is still in the queue and "
                    + "will be tried again until " + retryUntil.map(MessageDate::format).orElse("the retry period ends")
                    + ". You do not need to send it again.");
        } else {
            line(h, "Your message could not be delivered to the recipients below and has been given up on.");
        }
        line(h, "");
        for (RecipientFailure f : failures) {
            line(h, "<" + f.recipient() + ">:");
            if (!f.explanation().isBlank()) {
                line(h, "    " + oneLine(f.explanation()));
            }
            f.remoteMta().ifPresent(r -> line(h, "    Receiving server: " + oneLine(r)));
            f.diagnosticCode().ifPresent(d -> line(h, "    It answered: " + oneLine(d)));
            for (Finding finding : f.findings()) {
                line(h, "    - " + oneLine(FindingWords.sentence(finding)));
            }
            line(h, "");
        }
        if (failures.stream().anyMatch(f -> !f.findings().isEmpty())) {
            line(h, "This relay sends mail only over encrypted connections that meet its security policy, so that "
                    + "nobody on the way can read or alter it. Please forward this notice to the recipient's mail "
                    + "administrator: once their server is fixed, mail will flow again.");
        }
        return h.toString();
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

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static void line(StringBuilder sb, String text) {
        sb.append(text).append('\n');
    }
}
