package dev.doublelock.queue;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one queue entry (without its bytes; read those with {@link QueueStore#messageBytes}).
 * Times are stored with millisecond precision.
 *
 * @param id                the queue's own id, unique per store
 * @param messageId         the {@code Message-ID} header of the message, or {@code ""} if it has none
 * @param envelope          as received
 * @param size              length of the message bytes
 * @param queuedAt          when {@link QueueStore#enqueue} committed it
 * @param state             where it is in its life
 * @param attempts          delivery runs started so far (each {@link QueueStore#claimDue} counts one)
 * @param nextAttemptAt     when it is next due (meaningful for QUEUED and DEFERRED)
 * @param recipients        per-recipient status, in envelope order
 * @param claimedBy         node id holding the lease while DELIVERING, else {@code null}
 * @param leaseUntil        end of that lease, else {@code null}
 * @param reason            why it bounced or was last deferred, or {@code null}
 * @param delayNoticeSentAt when the delayed-delivery DSN went out, or {@code null}
 * @param recipientReasons  per recipient, the last reason it was not delivered (see {@link QueueStore#noteReasons});
 *                          recipients without one are absent
 */
public record QueuedMessage(long id, String messageId, Envelope envelope, long size, Instant queuedAt,
                            State state, int attempts, Instant nextAttemptAt,
                            Map<String, RecipientState> recipients, String claimedBy, Instant leaseUntil,
                            String reason, Instant delayNoticeSentAt, Map<String, String> recipientReasons) {

    public QueuedMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(queuedAt, "queuedAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        recipients = Collections.unmodifiableMap(new LinkedHashMap<>(recipients));
        recipientReasons = Collections.unmodifiableMap(new LinkedHashMap<>(recipientReasons));
    }

    /** Without per-recipient reasons. */
    public QueuedMessage(long id, String messageId, Envelope envelope, long size, Instant queuedAt, State state,
                         int attempts, Instant nextAttemptAt, Map<String, RecipientState> recipients, String claimedBy,
                         Instant leaseUntil, String reason, Instant delayNoticeSentAt) {
        this(id, messageId, envelope, size, queuedAt, state, attempts, nextAttemptAt, recipients, claimedBy, leaseUntil,
                reason, delayNoticeSentAt, Map.of());
    }

    /** Recipients still to be delivered, in envelope order. */
    public List<String> pendingRecipients() {
        return recipientsIn(RecipientState.PENDING);
    }

    /** Recipients with the given status, in envelope order. */
    public List<String> recipientsIn(RecipientState status) {
        return recipients.entrySet().stream().filter(e -> e.getValue() == status).map(Map.Entry::getKey).toList();
    }
}
