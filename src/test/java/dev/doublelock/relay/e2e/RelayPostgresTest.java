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
 * a fresh schema, dropped afterwards. The live nodes also count every session for TLS reports into the queue, and both
 * running the day's reports at once send one report, which the nodes then deliver through the queue to the lab.
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
    /** Publishes {@value RelayConfigFile#DOMAIN}'s TLS-RPT record (signed; the nodes validate from its anchor). */
    static dev.doublelock.dns.TestDnsServer dns;
    static Path dnsAnchor;

    @TempDir
    Path dir;
    String baseUrl;
    String schema;

    @BeforeAll
    static void startLab() throws Exception {
        if (pgUrl() == null) return;
        lab = LabProcess.start(labDir);
        var signed = new dev.doublelock.dns.TestZones(RelayConfigFile.DOMAIN)
                .txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:" + REPORTS_TO).sign();
        dns = new dev.doublelock.dns.TestDnsServer().add(dev.doublelock.dns.TestZones.zone(signed));
        dnsAnchor = java.nio.file.Files.writeString(labDir.resolve("anchor.ds"), signed.anchor().zoneText());
    }

    /** The domain's rua: routed to the lab like the rest of the domain, so the report travels the nodes' queue. */
    static final String REPORTS_TO = "tlsrpt@" + RelayConfigFile.DOMAIN; // the lab's TLS report inbox

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
        if (dns != null) dns.close();
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
                lab.port("good"), CONCURRENCY, leaseSeconds, """
                        "dns": {"server": "%s", "trustAnchor": "%s"},
                        "tlsrpt": {"enabled": true, "organizationName": "E2E Relays"}""".formatted(dns.address(), dnsAnchor));
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

            // TLS reports: both nodes counted into the one queue; both sending the day at once make one report
            java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
            try (QueueStore store = QueueStores.open(queueUrl())) {
                long counted = java.util.stream.Stream.of(today.minusDays(1), today).flatMap(d -> store.tlsResults(d).stream())
                        .filter(c -> c.policyDomain().equals(RelayConfigFile.DOMAIN))
                        .mapToLong(c -> c.failure().isEmpty() ? c.sessions() : -1_000_000).sum();
                assertThat(counted).as("one successful session counted per delivery, none failed").isEqualTo(MESSAGES);
            }
            List<String> sends = sendReportsAtOnce(today, a, b);
            System.out.println("RelayPostgresTest tlsrpt send, both nodes at once: " + sends);
            assertThat(sends).as("each node's 'tlsrpt send' said").filteredOn(l -> l.startsWith(RelayConfigFile.DOMAIN + ": mailto:"))
                    .hasSize(1);
            assertThat(sends).filteredOn(l -> l.contains("already sent by another node")).hasSize(1);
            try (QueueStore store = QueueStores.open(queueUrl())) {
                List<QueuedMessage> reports = store.list(Set.of(), 10_000).stream()
                        .filter(m -> m.envelope().recipients().equals(List.of(REPORTS_TO))).toList();
                assertThat(reports).as("one report for the domain and day").hasSize(1);
                QueuedMessage report = reports.getFirst();
                assertThat(report.envelope().nullSender()).isTrue();
                var json = dev.doublelock.tlsrpt.ReportMails.json(dev.doublelock.tlsrpt.ReportMails.attachment(
                        store.messageBytes(report.id())));
                assertThat(dev.doublelock.tlsrpt.ReportSchema.violations(json)).isEmpty();
                assertThat(json.at("/organization-name").asText()).isEqualTo("E2E Relays");
                assertThat(json.at("/policies/0/policy/policy-domain").asText()).isEqualTo(RelayConfigFile.DOMAIN);
                assertThat(json.at("/policies/0/summary/total-failure-session-count").asLong()).isZero();
                String reportId = report.messageId().substring(1, report.messageId().length() - 1);
                // the running nodes deliver it through the queue like any mail, to the lab
                LabDeliveries got = LabDeliveries.await(lab.dataDir(), "tlsrpt.", List.of(reportId), Duration.ofSeconds(30));
                assertThat(got.deliveries()).as("the report reached the domain's rua once").containsExactly(Map.entry(reportId, 1));
                try (var labRecords = dev.doublelock.lab.RecordStore.openReadOnly(dev.doublelock.lab.RecordStore.defaultFile(lab.dataDir()))) {
                    assertThat(labRecords.tlsReports()).as("the lab's inbox read and stored it").singleElement()
                            .satisfies(r -> assertThat(r.report().policies()).singleElement().satisfies(p -> {
                                assertThat(p.domain()).isEqualTo(RelayConfigFile.DOMAIN);
                                assertThat(p.successful() + p.failed()).isPositive();
                            }));
                }
                assertThat(RelayCrashTest.awaitEmptyQueue(queueUrl(), Duration.ofSeconds(30)).get(State.DELIVERED))
                        .as("the report is not counted as a session of its own").isEqualTo(MESSAGES + 1);
            }
            try (QueueStore store = QueueStores.open(queueUrl())) {
                assertThat(store.tlsResults(today).stream().mapToLong(dev.doublelock.tlsrpt.ResultCount::sessions).sum()
                        + store.tlsResults(today.minusDays(1)).stream().mapToLong(dev.doublelock.tlsrpt.ResultCount::sessions).sum())
                        .as("delivering the report added no count").isEqualTo(MESSAGES);
            }
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

    /**
     * Runs {@code doublelock tlsrpt send --day DAY} with each node's config at the same moment (what each node's daily
     * schedule does), and returns the lines both printed.
     */
    private List<String> sendReportsAtOnce(java.time.LocalDate day, RelayProcess... nodes) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> runs = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            runs.add(new ProcessBuilder(javaBin, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "dev.doublelock.cli.Main", "tlsrpt", "send", "--config", dir.resolve(name + ".json").toString(),
                    "--day", day.toString()).redirectErrorStream(true).start());
        }
        List<String> lines = new ArrayList<>();
        for (Process p : runs) {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            lines.addAll(out.lines().filter(l -> l.startsWith(RelayConfigFile.DOMAIN + ":")).toList());
        }
        assertThat(lines).as("one line per node about the domain").hasSize(nodes.length);
        return lines;
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
