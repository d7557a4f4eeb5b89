package dev.doublelock.relay.delivery;

import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueuedMessage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operator gives up on a message ({@code doublelock queue bounce ID}): its pending recipients fail and the sender
 * gets a non-delivery DSN, enqueued in the same queue so that the running relay delivers it with its usual retries.
 * The DSN is built before the message changes state, and the message bytes are read first, so a failure leaves the
 * message as it was; a message with the null sender is bounced without a DSN (RFC 5321 §6.1).
 */
public final class OperatorBounce {
    /** What happened: the recipients given up on, and the DSN's queue id (none for the null sender). */
    public record Outcome(List<String> recipients, Optional<Long> dsnId) {
    }

    private final QueueStore store;
    private final String reportingMta;
    private final DsnBuilder dsn;
    private final Clock clock;

    /** @param reportingMta this relay's host name, as in its DSNs */
    public OperatorBounce(QueueStore store, String reportingMta, Clock clock) {
        this.store = store;
        this.reportingMta = reportingMta;
        this.dsn = new DsnBuilder("postmaster@" + reportingMta);
        this.clock = clock;
    }

    /** Empty if there is no such message or it is finished, held by no pending recipient, or being delivered. */
    public Optional<Outcome> bounce(long id) {
        Optional<QueuedMessage> found = store.find(id);
        if (found.isEmpty() || found.get().state().isFinal() || found.get().pendingRecipients().isEmpty()) {
            return Optional.empty();
        }
        QueuedMessage m = found.get();
        Instant now = clock.instant();
        List<RecipientFailure> failures = m.pendingRecipients().stream().map(r -> failure(m, r)).toList();
        Optional<Envelope> envelope = DsnBuilder.envelopeFor(m);
        byte[] report = envelope.isPresent() ? dsn.bounce(m, store.messageBytes(id), failures, reportingMta, now) : null;
        if (!store.bounce(id, "returned to the sender by the operator")) {
            return Optional.empty();
        }
        Optional<Long> dsnId = envelope.map(e -> store.enqueue(e, report));
        return Optional.of(new Outcome(m.pendingRecipients(), dsnId));
    }

    private RecipientFailure failure(QueuedMessage m, String recipient) {
        String last = m.recipientReasons().get(recipient);
        return new RecipientFailure(recipient, "5.0.0", Optional.empty(), Optional.empty(), List.of(),
                "The operator of the relay " + reportingMta + " gave up on delivering it"
                        + (last == null ? "." : "; the last attempt failed with: " + last));
    }
}
