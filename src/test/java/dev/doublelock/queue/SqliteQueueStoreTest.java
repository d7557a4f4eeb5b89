package dev.doublelock.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue contract on an SQLite file, plus what only SQLite has: pragmas, several instances on one file. */
class SqliteQueueStoreTest extends QueueStoreContract {

    @TempDir
    Path dir;

    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("queue.db");
    }

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Test
    void connectionsUseWalAndFullSync() {
        try (SqliteTransactions tx = new SqliteTransactions(url())) {
            List<String> pragmas = tx.inTransaction("read pragmas", c -> {
                List<String> out = new ArrayList<>();
                try (Statement s = c.createStatement()) {
                    for (String p : List.of("journal_mode", "synchronous", "foreign_keys", "busy_timeout")) {
                        try (ResultSet rs = s.executeQuery("PRAGMA " + p)) {
                            rs.next();
                            out.add(rs.getString(1));
                        }
                    }
                }
                return out;
            });
            assertThat(pragmas).containsExactly("wal", "2", "1", String.valueOf(SqliteTransactions.BUSY_TIMEOUT_MILLIS));
        }
    }

    @Test
    void aBackgroundCheckpointMovesTheWalIntoTheDatabaseFile() throws Exception {
        Path file = dir.resolve("queue.db");
        try (QueueStore store = QueueStores.open(url(), clock)) {
            long before = java.nio.file.Files.size(file);
            byte[] body = ("Subject: big\r\n\r\n" + "x".repeat(76).concat("\r\n").repeat(130)).getBytes();
            for (int i = 0; i < 200; i++) {
                store.enqueue(new Envelope("a@sender.test", List.of("b@dest.test")), body);
            }
            // 2 MB of messages sit in the WAL; SQLite's own checkpoint waits for 20,000 pages (80 MB), so only the
            // background checkpointer can bring them into the database file
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (java.nio.file.Files.size(file) < before + 1_500_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(java.nio.file.Files.size(file)).isGreaterThan(before + 1_500_000);
        }
    }

    @Test
    void aBarePathOpensSqliteAndCreatesTheFolder() {
        Path file = dir.resolve("nested/deeper/q.db");
        try (QueueStore store = QueueStores.open(file.toString(), clock)) {
            long id = store.enqueue(envelope("a@x"), message("<1@x>", "1"));
            assertThat(store.find(id)).isPresent();
            assertThat(store.describe()).contains("q.db");
        }
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void inMemoryAndForeignUrlsAreRefused() {
        assertThatThrownBy(() -> QueueStores.open("jdbc:sqlite::memory:")).isInstanceOf(QueueException.class)
                .hasMessageContaining("lose every message");
        assertThatThrownBy(() -> QueueStores.open("jdbc:mysql://localhost/q")).isInstanceOf(QueueException.class)
                .hasMessageContaining("jdbc:postgresql");
    }

    @Test
    void aClosedStoreSaysSo() {
        QueueStore store = QueueStores.open(url(), clock);
        store.close();
        assertThatThrownBy(() -> store.counts()).isInstanceOf(QueueException.class).hasMessageContaining("closed");
    }

    @Test
    void twoInstancesOnOneFileNeverClaimTheSameMessage() throws Exception {
        int messages = 200;
        QueueStore a = open();
        QueueStore b = open();
        for (int i = 0; i < messages; i++) {
            (i % 2 == 0 ? a : b).enqueue(envelope("r" + i + "@x"), message("<" + i + "@x>", "m" + i));
        }
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                QueueStore store = w % 2 == 0 ? a : b;
                String node = "node-" + w;
                workers.add(pool.submit(() -> {
                    start.await();
                    int mine = 0;
                    List<QueuedMessage> batch;
                    while (!(batch = store.claimDue(node, T0, 7, Duration.ofHours(1))).isEmpty()) {
                        for (QueuedMessage m : batch) {
                            assertThat(m.claimedBy()).isEqualTo(node);
                            if (!claimed.add(m.id())) {
                                duplicates.add(m.id());
                            }
                        }
                        mine += batch.size();
                    }
                    return mine;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : workers) {
                total += f.get();
            }
            assertThat(duplicates).isEmpty();
            assertThat(total).isEqualTo(messages);
            assertThat(claimed).hasSize(messages);
            assertThat(a.counts().get(State.DELIVERING)).isEqualTo(messages);
        } finally {
            pool.shutdownNow();
        }
    }
}
