/**
 * The relay's durable mail queue: "a message it has said 250 to is never lost".
 *
 * <p>{@link dev.doublelock.queue.QueueStore#enqueue} returns only after the message bytes and their
 * envelope are committed to stable storage in one transaction, so the SMTP intake may answer 250
 * right after it. Delivery workers take work with
 * {@link dev.doublelock.queue.QueueStore#claimDue}, which marks messages {@code DELIVERING} under a
 * time-limited lease held by a node id; a node that dies stops renewing, its leases expire, and any
 * other node (or the same node after a restart) claims the messages again. Delivery is therefore
 * at-least-once: a node that loses its lease in the middle of a transaction may deliver a second
 * copy, but never none.
 *
 * <p>One JDBC layer, two backends chosen by {@link dev.doublelock.queue.QueueStores#open}: an SQLite
 * file (the default; WAL journal, {@code synchronous=FULL}) and PostgreSQL for several relay nodes
 * sharing one queue ({@code FOR UPDATE SKIP LOCKED}). Schema migrations run on open.
 *
 * <p>Level 2: imports only {@code java.*} and JDBC drivers at run time.
 */
package dev.doublelock.queue;
