package dev.doublelock.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Enqueues from many sessions share commits; a message the database refuses fails alone. */
class GroupCommitTest {
    @TempDir
    Path dir;

    private static byte[] body(int i) {
        return ("Subject: m" + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void messagesWaitingDuringACommitShareTheNextOneAndEachIsStoredIntact() throws Exception {
        SqliteTransactions tx = new SqliteTransactions("jdbc:sqlite:" + dir.resolve("q.db"));
        try (JdbcQueueStore store = new JdbcQueueStore(tx, Dialect.SQLITE, Clock.systemUTC())) {
            tx.inTransaction("poison trigger", c -> Sql.execute(c, "CREATE TRIGGER poison BEFORE INSERT ON message "
                    + "WHEN NEW.mail_from = 'poison@sender.test' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"));
            int commitsBefore = store.intake().commits();

            // hold the store's write lock, as a long delivery transaction would, while 50 sessions enqueue
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> tx.inTransaction("hold", c -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
            int n = 50;
            List<CompletableFuture<Long>> results = new ArrayList<>();
            try { // whatever fails here, the held lock is given back, or closing the store would wait for ever
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
                // the first message: the writer takes it alone and waits for the lock with it
                results.add(enqueueAsync(store, 0));
                awaitState(() -> store.intake().committing() == 1 && store.intake().waiting() == 0);
                // the other 49 arrive while that commit cannot run
                for (int i = 1; i < n; i++) {
                    results.add(enqueueAsync(store, i));
                }
                awaitState(() -> store.intake().waiting() == n - 1);
            } finally {
                release.countDown();
            }
            holder.get(10, TimeUnit.SECONDS);

            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i == 17) {
                    assertThat(results.get(i)).failsWithin(10, TimeUnit.SECONDS)
                            .withThrowableOfType(ExecutionException.class)
                            .withCauseInstanceOf(QueueException.class)
                            .withMessageContaining("refused by test trigger");
                    continue;
                }
                long id = results.get(i).get(10, TimeUnit.SECONDS);
                ids.add(id);
                assertThat(store.messageBytes(id)).isEqualTo(body(i));
                String from = "s" + i + "@sender.test";
                assertThat(store.find(id)).hasValueSatisfying(m -> assertThat(m.envelope().mailFrom()).isEqualTo(from));
            }
            assertThat(ids).doesNotHaveDuplicates().hasSize(n - 1);
            // the first message's commit, then one for the 49 that waited (a 128-message batch holds them all)
            assertThat(store.intake().commits() - commitsBefore).isEqualTo(2);
            assertThat(store.counts().get(State.QUEUED)).isEqualTo(n - 1L);
        }
    }

    private static CompletableFuture<Long> enqueueAsync(JdbcQueueStore store, int k) {
        String from = k == 17 ? "poison@sender.test" : "s" + k + "@sender.test";
        return CompletableFuture.supplyAsync(
                () -> store.enqueue(new Envelope(from, List.of("r" + k + "@dest.test")), body(k)),
                command -> Thread.ofVirtual().start(command));
    }

    private static void awaitState(java.util.function.BooleanSupplier state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!state.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the group commit did not reach the expected state within 20 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void closingFailsNewEnqueuesButStoresWhatWasAccepted() {
        SqliteTransactions tx = new SqliteTransactions("jdbc:sqlite:" + dir.resolve("q2.db"));
        JdbcQueueStore store = new JdbcQueueStore(tx, Dialect.SQLITE, Clock.systemUTC());
        long id = store.enqueue(new Envelope("a@sender.test", List.of("b@dest.test")), body(1));
        store.close();
        SqliteTransactions again = new SqliteTransactions("jdbc:sqlite:" + dir.resolve("q2.db"));
        try (JdbcQueueStore reopened = new JdbcQueueStore(again, Dialect.SQLITE, Clock.systemUTC())) {
            assertThat(reopened.messageBytes(id)).isEqualTo(body(1));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> store.enqueue(new Envelope("a@sender.test", List.of("b@dest.test")), body(2)))
                .isInstanceOf(QueueException.class).hasMessageContaining("closed");
    }
}
