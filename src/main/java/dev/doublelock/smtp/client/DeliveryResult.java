package dev.doublelock.smtp.client;

import dev.doublelock.smtp.Reply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one mail transaction, per recipient. A recipient is delivered only if its RCPT was
 * accepted and the final reply after the data (or the DATA command's own refusal) was positive; a
 * refused DATA or a refused end of data applies to every recipient accepted before it.
 *
 * @param mailReply        the positive reply to MAIL FROM (a refused MAIL is an {@link SmtpClientException})
 * @param recipientReplies each recipient as given, in order, with its RCPT reply
 * @param dataReply        the reply that ended the transaction: the non-354 reply to DATA, or the reply
 *                         after the final "."; empty if no recipient was accepted (DATA was not sent)
 */
public record DeliveryResult(Reply mailReply, Map<String, Reply> recipientReplies, Optional<Reply> dataReply) {
    public DeliveryResult {
        Objects.requireNonNull(mailReply, "mailReply");
        recipientReplies = Collections.unmodifiableMap(new LinkedHashMap<>(recipientReplies));
        Objects.requireNonNull(dataReply, "dataReply");
    }

    /** What finally happened to one recipient. */
    public enum Fate { ACCEPTED, REJECTED_PERMANENTLY, DEFERRED }

    /** The fate of {@code recipient}: its RCPT reply if negative, else the data reply; no data reply = deferred. */
    public Fate fate(String recipient) {
        Reply rcpt = recipientReplies.get(recipient);
        if (rcpt == null) {
            throw new IllegalArgumentException("not a recipient of this transaction: " + recipient);
        }
        Reply decisive = rcpt.isPositive() ? dataReply.orElse(null) : rcpt;
        if (decisive == null) {
            return Fate.DEFERRED;
        }
        if (decisive.code() / 100 == 2) {
            return Fate.ACCEPTED;
        }
        return decisive.isPermanent() ? Fate.REJECTED_PERMANENTLY : Fate.DEFERRED;
    }

    /** Recipients the server took responsibility for. */
    public List<String> accepted() {
        return withFate(Fate.ACCEPTED);
    }

    /** Recipients refused with 5xx: bounce them. */
    public List<String> rejectedPermanently() {
        return withFate(Fate.REJECTED_PERMANENTLY);
    }

    /** Recipients refused with 4xx (or left undelivered): try them again later. */
    public List<String> deferred() {
        return withFate(Fate.DEFERRED);
    }

    public boolean anyAccepted() {
        return !accepted().isEmpty();
    }

    private List<String> withFate(Fate fate) {
        return recipientReplies.keySet().stream().filter(r -> fate(r) == fate).toList();
    }
}
