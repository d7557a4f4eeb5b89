package dev.doublelock.queue;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for {@link QueueStore#enqueue}: one writer thread stores every message that arrived while the
 * previous commit was running in one transaction, so many concurrent SMTP sessions share one sync to disk
 * instead of queueing for one each. Each message still gets its answer only after that commit returned.
 *
 * <p>Messages in one batch are isolated by savepoints: a message the database refuses fails alone (its
 * session answers 451 and the client retries), the others of the batch are stored. If the commit itself
 * fails, every message of the batch fails; none of them was acknowledged, so none is lost.
 */
final class GroupCommit implements AutoCloseable {
    /** Most messages in one transaction. */
    static final int MAX_BATCH = 128;
    /** Most message bytes in one transaction (a batch always takes at least one message). */
    static final long MAX_BATCH_BYTES = 32L << 20;

    private record Request(Envelope envelope, byte[] bytes, String messageId, long queuedAt, CompletableFuture<Long> result) {}

    private final Transactions tx;
    private final Clock clock;
    private final LinkedBlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile int committing;
    private final java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();

    GroupCommit(Transactions tx, Clock clock, String name) {
        this.tx = tx;
        this.clock = clock;
        this.writer = Thread.ofPlatform().daemon().name("queue-writer " + name).start(this::run);
    }

    /** Stores the message; returns its id once the transaction holding it is committed. */
    long enqueue(Envelope envelope, byte[] bytes, String messageId) {
        Request request = new Request(envelope, bytes, messageId, clock.millis(), new CompletableFuture<>());
        if (closed) {
            throw closedException();
        }
        pending.add(request);
        if (closed && pending.remove(request)) {
            throw closedException();
        }
        try {
            return request.result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new QueueException("cannot enqueue: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the writer may still commit it: then it is delivered although this caller did not say 250
            throw new QueueException("interrupted while waiting for the queue's commit", e);
        }
    }

    private void run() {
        while (true) {
            Request first;
            try {
                first = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (closed && pending.isEmpty()) {
                    return;
                }
                continue;
            }
            List<Request> batch = new ArrayList<>();
            batch.add(first);
            long bytes = first.bytes.length;
            Request next;
            while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES && (next = pending.poll()) != null) {
                batch.add(next);
                bytes += next.bytes.length;
            }
            commit(batch);
        }
    }

    private void commit(List<Request> batch) {
        List<Object> outcomes;
        committing = batch.size();
        try {
            outcomes = tx.inTransaction(batch.size() == 1 ? "enqueue" : "enqueue " + batch.size() + " messages", c -> {
                List<Object> out = new ArrayList<>(batch.size());
                if (batch.size() == 1) {
                    Request r = batch.getFirst();
                    out.add(NewMessage.insert(c, r.envelope, r.bytes, r.messageId, r.queuedAt));
                    return out;
                }
                for (Request r : batch) {
                    Sql.execute(c, "SAVEPOINT enqueue_one");
                    try {
                        out.add(NewMessage.insert(c, r.envelope, r.bytes, r.messageId, r.queuedAt));
                    } catch (SQLException e) {
                        Sql.execute(c, "ROLLBACK TO SAVEPOINT enqueue_one");
                        out.add(new QueueException("cannot enqueue: " + e.getMessage(), e));
                    }
                    Sql.execute(c, "RELEASE SAVEPOINT enqueue_one");
                }
                return out;
            });
        } catch (RuntimeException e) {
            for (Request r : batch) {
                r.result.completeExceptionally(e);
            }
            return;
        } catch (Error e) {
            for (Request r : batch) {
                r.result.completeExceptionally(e);
            }
            throw e;
        } finally {
            committing = 0;
        }
        commits.incrementAndGet();
        for (int i = 0; i < batch.size(); i++) {
            Object o = outcomes.get(i);
            if (o instanceof Long id) {
                batch.get(i).result.complete(id);
            } else {
                batch.get(i).result.completeExceptionally((QueueException) o);
            }
        }
    }

    /** Transactions committed so far (for tests and diagnostics). */
    int commits() {
        return commits.get();
    }

    /** Messages in the transaction the writer is running (or waiting to begin) right now; 0 when idle. */
    int committing() {
        return committing;
    }

    /** Messages waiting for the writer right now. */
    int waiting() {
        return pending.size();
    }

    private static QueueException closedException() {
        return new QueueException("the queue store is closed");
    }

    /** Stores what is already waiting, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Request left;
        while ((left = pending.poll()) != null) {
            left.result.completeExceptionally(closedException());
        }
    }
}
