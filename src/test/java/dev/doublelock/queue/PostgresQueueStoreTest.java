package dev.doublelock.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The queue contract on PostgreSQL, plus several nodes sharing one queue. Runs when
 * {@code DOUBLELOCK_TEST_PG_URL} (system property or environment variable) names a server, e.g.
 * {@code jdbc:postgresql://127.0.0.1:54329/postgres?user=postgres}; skipped otherwise. Each test gets
 * its own schema, dropped afterwards.
 */
@Tag("postgres")
class PostgresQueueStoreTest extends QueueStoreContract {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private String baseUrl;
    private String schema;

    @BeforeEach
    void createSchema() throws Exception {
        baseUrl = System.getProperty("DOUBLELOCK_TEST_PG_URL", System.getenv("DOUBLELOCK_TEST_PG_URL"));
        Assumptions.assumeTrue(baseUrl != null && !baseUrl.isBlank(),
                "set DOUBLELOCK_TEST_PG_URL=jdbc:postgresql://HOST:PORT/DB?user=USER to run the PostgreSQL tests");
        schema = "dlq_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            closeStores();
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Override
    String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRES;
    }

    @Test
    void twoNodesClaimingConcurrentlyClaimEachOfAThousandMessagesOnce() throws Exception {
        int messages = 1000;
        QueueStore nodeA = open();
        QueueStore nodeB = open();
        enqueueInParallel(nodeA, messages);
        Map<Long, String> claimedBy = new ConcurrentHashMap<>();
        List<Long> duplicates = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                QueueStore store = w % 2 == 0 ? nodeA : nodeB;
                String node = w % 2 == 0 ? "node-a" : "node-b";
                workers.add(pool.submit(() -> {
                    start.await();
                    List<QueuedMessage> batch;
                    while (!(batch = store.claimDue(node, T0, 10, Duration.ofHours(1))).isEmpty()) {
                        for (QueuedMessage m : batch) {
                            assertThat(m.claimedBy()).isEqualTo(node);
                            if (claimedBy.putIfAbsent(m.id(), node) != null) {
                                duplicates.add(m.id());
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(claimedBy).hasSize(messages);
        assertThat(nodeB.counts().get(State.DELIVERING)).isEqualTo(messages);
        for (QueuedMessage m : nodeA.list(Set.of(State.DELIVERING), messages)) {
            assertThat(m.claimedBy()).isEqualTo(claimedBy.get(m.id()));
            assertThat(m.attempts()).isEqualTo(1);
        }
    }

    @Test
    void aDeadNodesMessagesAreTakenOverAfterItsLeaseExpires() throws Exception {
        QueueStore nodeA = open();
        QueueStore nodeB = open();
        List<Long> all = enqueueInParallel(nodeA, 300);
        Duration lease = Duration.ofMinutes(1);
        Set<Long> heldByDeadNode = ids(nodeA.claimDue("node-a", T0, 100, lease));
        nodeA.close(); // node A "dies": never renews, never finishes

        Set<Long> firstRound = ids(nodeB.claimDue("node-b", T0.plusSeconds(30), 1000, lease));
        assertThat(firstRound).hasSize(200).doesNotContainAnyElementsOf(heldByDeadNode);

        Set<Long> takenOver = ids(nodeB.claimDue("node-b", T0.plusSeconds(61), 1000, Duration.ofHours(1)));
        assertThat(takenOver).isEqualTo(heldByDeadNode);

        Set<Long> union = new HashSet<>(firstRound);
        union.addAll(takenOver);
        assertThat(union).containsExactlyInAnyOrderElementsOf(all);
        for (long id : union) {
            assertThat(nodeB.markDelivered(id, Map.of("r@x", RecipientState.DELIVERED))).isEqualTo(State.DELIVERED);
        }
        assertThat(nodeB.counts().get(State.DELIVERED)).isEqualTo(300);
    }

    @Test
    void nodesStartingAtOnceMigrateOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<QueueStore>> opening = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return QueueStores.open(url(), clock);
                }));
            }
            start.countDown();
            for (Future<QueueStore> f : opening) {
                try (QueueStore store = f.get()) {
                    assertThat(store.counts().get(State.QUEUED)).isZero();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Long> enqueueInParallel(QueueStore store, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                ids.add(pool.submit(() -> store.enqueue(envelope("r@x"), message("<" + n + "@x>", "m" + n))));
            }
            List<Long> out = new ArrayList<>();
            for (Future<Long> f : ids) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Set<Long> ids(List<QueuedMessage> messages) {
        Set<Long> ids = new HashSet<>();
        messages.forEach(m -> ids.add(m.id()));
        return ids;
    }
}
