package dev.doublelock.queue;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The relay's durable queue. Every method is one database transaction and is safe to call from
 * several threads, and from several store instances (processes, relay nodes) sharing one database.
 * Storage failures surface as {@link QueueException}; an unknown id as {@link QueueException} too,
 * except for {@link #find}, which answers empty.
 *
 * <p>State-changing methods answer {@code false} when the message was not in a state they apply to
 * (for example {@link #defer} on a message the operator deleted meanwhile) and leave it unchanged.
 */
public interface QueueStore extends AutoCloseable {

    /**
     * Stores a message and its envelope as {@link State#QUEUED}, due now. Returns only after the
     * transaction is committed and synced to stable storage: the caller may answer 250 next.
     *
     * @return the new message's id
     */
    long enqueue(Envelope envelope, byte[] messageBytes);

    /** The message bytes exactly as enqueued. Fails for unknown or {@link State#DELETED} messages. */
    byte[] messageBytes(long id);

    /** {@link #messageBytes} as a stream. */
    InputStream openMessage(long id);

    /**
     * Atomically claims up to {@code max} messages that are due — QUEUED or DEFERRED with
     * {@code nextAttemptAt <= now}, or DELIVERING with an expired lease (a dead node's work) — marks them
     * DELIVERING, held by {@code nodeId} until {@code now + lease}, and counts one attempt each. No
     * message is claimed by two callers at once while its lease runs. Oldest due first.
     */
    List<QueuedMessage> claimDue(String nodeId, Instant now, int max, Duration lease);

    /**
     * Extends the lease of a message this node holds to now + {@code lease}.
     *
     * @return false if the node no longer holds it (lease expired and taken over, or state changed):
     *         the caller should stop working on it
     */
    boolean renewLease(long id, String nodeId, Duration lease);

    /** Appends one delivery attempt to the message's history (never rewritten). */
    void recordAttempt(long id, Attempt attempt);

    /**
     * {@link #recordAttempt(long, Attempt)} and, in the same transaction, counts the session for the TLS reports of
     * its UTC day (RFC 8460): one more session under its policy and outcome, for all nodes of this queue.
     */
    void recordAttempt(long id, Attempt attempt, dev.doublelock.tlsrpt.SessionResult tlsResult);

    /**
     * Claims the sending of the TLS report of {@code day} for {@code policyDomain}: true for exactly one caller across
     * all nodes of this queue, false for everyone after it (so each domain gets one report per day, not one per node).
     */
    boolean claimTlsReport(java.time.LocalDate day, String policyDomain, String nodeId);

    /** The TLS report counts of one UTC day, every policy domain, in a stable order. */
    List<dev.doublelock.tlsrpt.ResultCount> tlsResults(java.time.LocalDate day);

    /**
     * Records per-recipient outcomes of a delivery run (recipients not named keep their status), and
     * finishes the message if none is left PENDING: {@link State#DELIVERED} if any recipient was
     * delivered, else {@link State#BOUNCED}. If some remain PENDING the message keeps its state; call
     * {@link #defer} next.
     *
     * @return the message's state afterwards
     * @throws QueueException if a named recipient is not in the envelope
     */
    State markDelivered(long id, Map<String, RecipientState> outcomes);

    /**
     * Records per recipient why it was not delivered in the last run (words with finding codes, for the operator's
     * {@code queue list}); recipients not named keep their reason. Changes no state.
     *
     * @throws QueueException if a named recipient is not in the envelope
     */
    void noteReasons(long id, Map<String, String> reasons);

    /** DELIVERING/QUEUED/DEFERRED → DEFERRED, due at {@code next}; releases the lease. */
    boolean defer(long id, Instant next, String reason);

    /** {@link #defer} without a reason. */
    default boolean defer(long id, Instant next) {
        return defer(id, next, null);
    }

    /** Gives up: every PENDING recipient becomes FAILED and the message {@link State#BOUNCED}. */
    boolean bounce(long id, String reason);

    /** Operator removal: the message becomes {@link State#DELETED} and its bytes are discarded. */
    boolean delete(long id);

    /** Operator "try again now": a QUEUED or DEFERRED message becomes QUEUED, due now. */
    boolean retryNow(long id);

    /** Operator hold: a QUEUED or DEFERRED message becomes {@link State#HELD} and is left alone until released. */
    boolean hold(long id);

    /** Operator release: a {@link State#HELD} message becomes QUEUED, due now. */
    boolean release(long id);

    /** Operator flush ({@code postqueue -f}): every QUEUED and DEFERRED message is due now; returns how many. */
    int flush();

    /** Records that the delayed-delivery DSN for this message was sent, so it is sent only once. */
    boolean markDelayNoticeSent(long id, Instant at);

    /** Turns every DELIVERING message whose lease ended at or before {@code now} back into QUEUED. */
    int recoverExpiredLeases(Instant now);

    Optional<QueuedMessage> find(long id);

    /** The message's attempts, oldest first. */
    List<Attempt> attempts(long id);

    /** Messages in any of {@code states} (all states if empty), lowest id first, at most {@code limit}. */
    List<QueuedMessage> list(Set<State> states, int limit);

    /** {@link #list(Set, int)} from the first id above {@code afterId}: page through a queue of any size. */
    List<QueuedMessage> list(Set<State> states, long afterId, int limit);

    /**
     * What waits (messages QUEUED, DELIVERING, DEFERRED or HELD), per recipient domain and last reason: counts of the
     * recipients still PENDING and of their messages. By domain, then most messages first. Read in one pass over
     * the waiting recipients; memory grows with the number of distinct (domain, reason) pairs only.
     */
    List<WaitingCount> waitingByDomain();

    /**
     * Sessions the policy refused, and sessions it would have refused in testing mode ({@link Attempt#wouldRefuse}),
     * recorded at or after {@code from} and before {@code to}, counted per finding code and time slot of length
     * {@code slot} (slots start at multiples of it since the epoch, so an hour or a day is a UTC hour or day).
     * By slot, then code.
     */
    List<RefusalCount> refusals(Instant from, Instant to, Duration slot);

    /**
     * Testing mode: the messages handed over at or after {@code from} and before {@code to} although the policy would
     * have refused the session ({@link Attempt#wouldRefuse}), in total and per recipient domain with the finding codes.
     * Distinct messages are counted in memory: it grows with the number of such messages in the window.
     */
    WouldRefuseCounts wouldRefuse(Instant from, Instant to);

    /** Number of messages per state; every state is present, with 0 if none. */
    Map<State, Long> counts();

    /**
     * The MTA-STS policies this queue keeps for the delivery side (RFC 8461 §5.1): in the same database, so they
     * survive a restart and are shared by the nodes of one queue.
     */
    dev.doublelock.policy.mtasts.StsCache stsCache();

    /** A short description for logs, e.g. {@code sqlite:/var/lib/doublelock/queue.db}. */
    String describe();

    @Override
    void close();
}
