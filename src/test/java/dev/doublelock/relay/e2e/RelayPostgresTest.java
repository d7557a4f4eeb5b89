package dev.doublelock.relay.e2e;

import dev.doublelock.lab.Verdict;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
import dev.doublelock.testing.LabProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two relay nodes (separate JVMs) sharing one PostgreSQL queue deliver 1,000 messages to the lab's {@code good}
 * profile: each exactly once while both live; with one node killed (SIGKILL) mid-way, the other takes over its
 * claimed messages once their lease expires and none is lost. Needs {@code DOUBLELOCK_TEST_PG_URL}; each test uses
 * a fresh schema, dropped afterwards.
 */
@Tag("postgres")
@Timeout(180)
class RelayPostgresTest {
    private static final int MESSAGES = 1000;
    private static final int SENDERS = 8;
    private static final int CONCURRENCY = 48;

    @TempDir
    static Path labDir;
    static LabProcess lab;

    @TempDir
    Path dir;
    String baseUrl;
    String schema;

    @BeforeAll
    static void startLab() throws Exception {
        if (pgUrl() != null) lab = LabProcess.start(labDir);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    static String pgUrl() {
        String url = System.getProperty("DOUBLELOCK_TEST_PG_URL", System.getenv("DOUBLELOCK_TEST_PG_URL"));
        return url == null || url.isBlank() ? null : url;
    }

    @BeforeEach
    void createSchema() throws Exception {
        baseUrl = pgUrl();
        Assumptions.assumeTrue(baseUrl != null,
                "set DOUBLELOCK_TEST_PG_URL=jdbc:postgresql://HOST:PORT/DB?user=USER to run the PostgreSQL tests");
        schema = "dl_e2e_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        }
    }

    private String queueUrl() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private RelayProcess node(String name, int leaseSeconds) throws Exception {
        Path config = RelayConfigFile.write(dir.resolve(name + ".json"), hostName(name), dir.resolve(name), queueUrl(),
                lab.caFile(),
                lab.port("good"), CONCURRENCY, leaseSeconds);
        return RelayProcess.start(config);
    }

    /** The node's host name: its EHLO name in the lab's records and the prefix of its node id in queue claims. */
    private static String hostName(String node) {
        return "relay-" + node + ".e2e.test";
    }

    @Test
    void twoLiveNodesDeliverEachMessageExactlyOnce() throws Exception {
        String prefix = "pg-live-" + Long.toHexString(System.nanoTime()) + "-";
        Instant began = Instant.now();
        try (RelayProcess a = node("a", 30); RelayProcess b = node("b", 30)) {
            Flow flow = Flow.start(prefix, i -> (i % 2 == 0 ? a : b).relayAddress());
            flow.awaitSent();
            Instant accepted = Instant.now();
            assertThat(flow.accepted).hasSize(MESSAGES);
            Map<State, Long> counts = RelayCrashTest.awaitEmptyQueue(queueUrl(), Duration.ofSeconds(90));
            assertThat(counts.get(State.DELIVERED)).as("queue %s; node a said:%n%s%nnode b said:%n%s", counts,
                    String.join("\n", a.output()), String.join("\n", b.output())).isEqualTo(MESSAGES);
            Instant drained = Instant.now();
            LabDeliveries seen = LabDeliveries.await(lab.dataDir(), prefix, flow.accepted, Duration.ofSeconds(20));
            assertThat(seen.deliveries().keySet()).containsExactlyInAnyOrderElementsOf(flow.accepted);
            assertThat(seen.deliveries()).as("deliveries per Message-ID").allSatisfy((id, n) -> assertThat(n).isOne());
            Map<String, Integer> byNode = seen.byEhloName();
            assertThat(byNode).as("both nodes delivered").containsOnlyKeys(hostName("a"), hostName("b"));
            System.out.printf("RelayPostgresTest live: %d accepted in %d ms, queue drained after %d ms, delivered by %s, "
                            + "%d duplicates, other lab sessions %s%n", flow.accepted.size(),
                    Duration.between(began, accepted).toMillis(), Duration.between(began, drained).toMillis(), byNode,
                    seen.duplicates(), seen.otherVerdicts());
        }
    }

    @Test
    void whenOneNodeIsKilledTheOtherTakesOverItsMessages() throws Exception {
        String prefix = "pg-kill-" + Long.toHexString(System.nanoTime()) + "-";
        Instant began = Instant.now();
        RelayProcess a = node("a", 4);
        try (RelayProcess b = node("b", 4)) {
            Flow flow = Flow.start(prefix, i -> (i % 2 == 0 && a.isAlive() ? a : b).relayAddress());
            // mid-way, at a moment when node a holds several messages it is delivering
            int acceptedAtKill;
            List<QueuedMessage> orphaned;
            Instant killed;
            try (QueueStore store = QueueStores.open(queueUrl())) {
                while (flow.accepted.size() < MESSAGES && (flow.accepted.size() < MESSAGES / 2 || heldBy(store, "a").size() < 3)) {
                    Thread.sleep(20);
                }
                acceptedAtKill = flow.accepted.size();
                a.kill9();
                killed = Instant.now();
                // a is dead: what it holds now is exactly what it left half-done
                orphaned = heldBy(store, "a");
            }
            assertThat(orphaned).as("node a was delivering when killed").isNotEmpty();
            flow.awaitSent();
            assertThat(flow.accepted).hasSize(MESSAGES);
            Map<State, Long> counts = RelayCrashTest.awaitEmptyQueue(queueUrl(), Duration.ofSeconds(90));
            assertThat(counts.get(State.QUEUED) + counts.get(State.DEFERRED) + counts.get(State.DELIVERING))
                    .as("queue %s; node b said:%n%s", counts, String.join("\n", b.output())).isZero();
            assertThat(counts.get(State.BOUNCED)).isZero();
            Instant drained = Instant.now();
            LabDeliveries seen = LabDeliveries.await(lab.dataDir(), prefix, flow.accepted, Duration.ofSeconds(20));
            assertThat(seen.deliveries().keySet()).as("none lost").containsAll(flow.accepted);
            assertThat(seen.otherVerdicts().keySet()).doesNotContain(Verdict.DELIVERED_INSECURELY,
                    Verdict.PLAINTEXT_FALLBACK, Verdict.NO_TLS_DELIVERED);
            Set<Long> heldIds = orphaned.stream().map(QueuedMessage::id).collect(Collectors.toSet());
            try (QueueStore store = QueueStores.open(queueUrl())) {
                for (long id : heldIds) {
                    QueuedMessage m = store.find(id).orElseThrow();
                    assertThat(m.state()).isEqualTo(State.DELIVERED);
                    assertThat(m.attempts()).as("claimed by a, then taken over").isGreaterThanOrEqualTo(2);
                }
            }
            System.out.printf("RelayPostgresTest kill: node a killed after %d accepted holding %d messages; all %d "
                            + "accepted delivered, %d duplicates; queue drained %d ms after the kill, %d ms in all; "
                            + "delivered by %s; other lab sessions %s%n", acceptedAtKill, heldIds.size(), flow.accepted.size(),
                    seen.duplicates(), Duration.between(killed, drained).toMillis(),
                    Duration.between(began, drained).toMillis(), seen.byEhloName(), seen.otherVerdicts());
        } finally {
            if (a.isAlive()) a.close();
        }
    }

    /** Messages node {@code name} is delivering (claimed, lease running or not). */
    private static List<QueuedMessage> heldBy(QueueStore store, String name) {
        return store.list(Set.of(State.DELIVERING), 10_000).stream()
                .filter(m -> m.claimedBy() != null && m.claimedBy().startsWith(hostName(name) + "-")).toList();
    }

    /** {@value #SENDERS} threads submitting {@value #MESSAGES} messages, each retried until it gets a 250. */
    static final class Flow {
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final List<Thread> threads = new ArrayList<>();

        static Flow start(String prefix, IntFunction<InetSocketAddress> target) {
            Flow f = new Flow();
            AtomicInteger next = new AtomicInteger();
            for (int s = 0; s < SENDERS; s++) {
                f.threads.add(Thread.ofPlatform().daemon(true).name("sender-" + s).start(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < MESSAGES) {
                        String id = prefix + i + "@e2e.test";
                        int tries = 0;
                        while (!Submitter.send(target.apply(i + tries), id, "user" + i + "@" + RelayConfigFile.DOMAIN)) {
                            tries++;
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        f.accepted.add(id);
                    }
                }));
            }
            return f;
        }

        void awaitSent() throws InterruptedException {
            for (Thread t : threads) t.join(Duration.ofSeconds(120));
        }
    }
}
