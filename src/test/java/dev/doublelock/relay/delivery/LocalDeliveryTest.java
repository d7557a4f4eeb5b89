package dev.doublelock.relay.delivery;

import dev.doublelock.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.RecipientState;
import dev.doublelock.queue.RetrySchedule;
import dev.doublelock.queue.State;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery to doublelock's own SMTP server in this JVM, with a test CA: content, per-recipient replies, DSNs. */
@Timeout(60)
class LocalDeliveryTest {
    static final byte[] MESSAGE = ("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: hello\r\n"
            + "Message-ID: <m1@example.org>\r\n\r\n.a line starting with a dot\r\nbody \u00e9\r\n")
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    MutableClock clock;
    QueueStore store;
    CapturingServer server;
    CertifiedKey ca;

    @BeforeEach
    void setUp() throws Exception {
        clock = MutableClock.now();
        store = QueueStores.open(dir.resolve("queue.db").toString(), clock);
        ca = new CertificateBuilder().subject("CN=Delivery Test CA").certificateAuthority(0).build();
        CertifiedKey leaf = new CertificateBuilder().dnsNames("localhost").issuer(ca).build();
        server = new CapturingServer(leaf.withChain(List.of(leaf.leaf(), ca.leaf())));
    }

    @AfterEach
    void tearDown() {
        server.close();
        store.close();
    }

    DeliveryWorker worker() {
        Router router = Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
        return new DeliveryWorker(store, router, options(), Dialer.direct(), clock);
    }

    DeliveryOptions options() {
        return DeliveryOptions.defaults("relay.test").withTrust(List.of(ca.leaf()), false)
                .withSchedule(RetrySchedule.defaults().withSteps(List.of(Duration.ofMinutes(1)), Duration.ofMinutes(1))
                        .withJitter(0).withGiveUpAfter(Duration.ofMinutes(10)).withDelayNoticeAfter(Duration.ofMinutes(5))
                        .withRandom(new Random(1)))
                .withDeliveryLog(Optional.of(dir.resolve("delivery.jsonl")))
                .withClientOptions(dev.doublelock.smtp.client.ClientOptions.defaults("relay.test")
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    @Test
    void goodServerGetsTheMessageByteForByteBehindOneReceivedHeader() throws Exception {
        long id = store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")), MESSAGE);
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try (DeliveryWorker w = worker()) {
            assertThat(w.runOnce()).isEqualTo(1);
            assertThat(w.metrics().delivered()).isEqualTo(1);
            assertThat(w.metrics().prometheusText()).contains("doublelock_delivered_recipients_total 1");
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("one human line per attempt, time-stamped")
                .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z? ?\\S* ?INFO delivery - " + id
                        + ": domain=example.net, relay=localhost\\[127\\.0\\.0\\.1]:\\d+, delay=\\d+\\.\\d\\ds, "
                        + "tls=TLSv1\\.3 TLS_\\S+, policy=bsi \\(.*\\), verdict=\\w+( \\[.*])?, status=delivered \\(250 .*\\)$");
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(server.messages).hasSize(1);
        ReceivedMessage got = server.messages.get(0);
        assertThat(got.receivedOverTls()).isTrue();
        String content = new String(got.content(), StandardCharsets.UTF_8);
        assertThat(content).startsWith("Received: by relay.test (doublelock relay)\r\n\twith ESMTPS (TLSv1.3 ");
        int end = content.indexOf("\r\n", content.indexOf("\tid ")) + 2;
        assertThat(Arrays.copyOfRange(got.content(), end, got.content().length)).isEqualTo(MESSAGE);

        Attempt a = store.attempts(id).get(0);
        assertThat(a.outcome()).isEqualTo("delivered");
        assertThat(a.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(a.policyVerdict()).startsWith("bsi: ");
        assertThat(a.findingCodes()).doesNotContain("UNKNOWN_ISSUER", "BAD_CERT_DOMAIN");
        List<String> lines = Files.readAllLines(dir.resolve("delivery.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode j = new ObjectMapper().readTree(lines.get(0));
        assertThat(j.get("outcome").asText()).isEqualTo("delivered");
        assertThat(j.get("queue_id").asLong()).isEqualTo(id);
        assertThat(j.get("mode").asText()).isEqualTo("enforce");
    }

    @Test
    @Timeout(60)
    void wakeLetsTheIdleLoopDeliverNewMailWithoutWaitingForItsPollInterval() throws Exception {
        long first = store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")), MESSAGE);
        DeliveryWorker w = new DeliveryWorker(store, Router.staticOnly(Map.of("example.net",
                List.of("localhost:" + server.port()))), options().withPollInterval(Duration.ofHours(1)),
                Dialer.direct(), clock);
        try (w) {
            w.start();
            awaitDelivered(first);
            // the loop found nothing more and now waits up to an hour, unless woken
            long second = store.enqueue(new Envelope("alice@example.org", List.of("carol@example.net")), MESSAGE);
            w.wake();
            awaitDelivered(second);
        }
        assertThat(server.messages).hasSize(2);
    }

    private void awaitDelivered(long id) throws InterruptedException {
        while (store.find(id).orElseThrow().state() != State.DELIVERED) {
            Thread.sleep(20);
        }
    }

    @Test
    void permanentRecipientRefusalBouncesThatOneAndTransientOneIsRetriedThenBounced() throws Exception {
        long id = store.enqueue(new Envelope("alice@example.org",
                List.of("bob@example.net", "nobody@example.net", "later@example.net")), MESSAGE);
        try (DeliveryWorker w = worker()) {
            w.runOnce();
            QueuedMessage m = store.find(id).orElseThrow();
            assertThat(m.recipients()).containsEntry("bob@example.net", RecipientState.DELIVERED)
                    .containsEntry("nobody@example.net", RecipientState.FAILED)
                    .containsEntry("later@example.net", RecipientState.PENDING);
            assertThat(m.state()).isEqualTo(State.DEFERRED);
            List<QueuedMessage> dsns = dsnsTo("alice@example.org");
            assertThat(dsns).hasSize(1);
            Dsn first = Dsn.parse(store.messageBytes(dsns.get(0).id()));
            assertThat(first.parts().get(1).body()).contains("Final-Recipient: rfc822; nobody@example.net")
                    .contains("Status: 5.1.1").contains("Diagnostic-Code: smtp; 550 5.1.1 No such user")
                    .doesNotContain("later@example.net").doesNotContain("bob@example.net");

            clock.advance(Duration.ofMinutes(2));
            w.runOnce();
            assertThat(server.messages).hasSize(1).as("bob got it once; later@ was only tried again");
            clock.advance(Duration.ofMinutes(4));
            w.runOnce();
            assertThat(dsnsTo("alice@example.org")).as("one delayed-delivery notice after 5 minutes").hasSize(2);
            clock.advance(Duration.ofMinutes(10));
            w.runOnce();
        }
        QueuedMessage m = store.find(id).orElseThrow();
        assertThat(m.state()).isEqualTo(State.DELIVERED).as("final: one recipient delivered, the rest failed");
        assertThat(m.recipients()).containsEntry("later@example.net", RecipientState.FAILED);
        List<QueuedMessage> dsns = dsnsTo("alice@example.org");
        assertThat(dsns).hasSize(3);
        List<String> actions = dsns.stream().map(d -> Dsn.parse(store.messageBytes(d.id())).parts().get(1).body()).toList();
        assertThat(actions.get(1)).contains("Action: delayed").contains("later@example.net").contains("Status: 4.2.1");
        assertThat(actions.get(2)).contains("Action: failed").contains("later@example.net").contains("Status: 5.2.1");
        assertThat(dsns).allSatisfy(d -> assertThat(d.envelope().nullSender()).isTrue());
    }

    @Test
    void aMessageFromTheIntakeCarriesOnlyTheIntakesReceivedHeader() throws Exception {
        // the stored bytes exactly as the intake writes them (RFC 5321 §4.4: one trace record per receiving server)
        dev.doublelock.smtp.server.ReceivedMessage in = new dev.doublelock.smtp.server.ReceivedMessage(
                new dev.doublelock.smtp.server.ConnectionInfo(new java.net.InetSocketAddress("127.0.0.1", 40000),
                        new java.net.InetSocketAddress("127.0.0.1", 25), clock.instant(), "s1"),
                "client.test", dev.doublelock.smtp.MailPath.parseReversePath("<alice@example.org>").path(), Map.of(),
                List.of(dev.doublelock.smtp.MailPath.parseForwardPath("<bob@example.net>").path()), MESSAGE,
                Optional.empty());
        byte[] stored = dev.doublelock.relay.intake.ReceivedHeader.prepend(
                dev.doublelock.relay.intake.ReceivedHeader.of(in, "relay.test", Optional.empty(), clock.instant()), MESSAGE);
        store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")), stored);
        try (DeliveryWorker w = worker()) {
            assertThat(w.runOnce()).isEqualTo(1);
        }
        assertThat(server.messages).hasSize(1);
        assertThat(server.messages.get(0).content()).isEqualTo(stored);
        String content = new String(server.messages.get(0).content(), StandardCharsets.UTF_8);
        assertThat(content.split("(?m)^Received:", -1)).hasSize(2);
    }

    @Test
    void aMessageOverTheServersSizeBouncesWithStatus534() throws Exception {
        server.close();
        CertifiedKey leaf = new CertificateBuilder().dnsNames("localhost").issuer(ca).build();
        server = new CapturingServer(leaf.withChain(List.of(leaf.leaf(), ca.leaf())), 100);
        long id = store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")), MESSAGE);
        try (DeliveryWorker w = worker()) {
            w.runOnce();
        }
        assertThat(store.find(id).orElseThrow().recipients()).containsEntry("bob@example.net", RecipientState.FAILED);
        assertThat(server.messages).isEmpty();
        List<QueuedMessage> dsns = dsnsTo("alice@example.org");
        assertThat(dsns).hasSize(1);
        String report = Dsn.parse(store.messageBytes(dsns.get(0).id())).parts().get(1).body();
        // RFC 3463 §3.4: X.3.4 "message too big for system"
        assertThat(report).contains("Final-Recipient: rfc822; bob@example.net").contains("Status: 5.3.4");
    }

    @Test
    void aBounceWithTheNullSenderIsNeverBouncedAgain() {
        long id = store.enqueue(new Envelope("", List.of("nobody@example.net")), MESSAGE);
        try (DeliveryWorker w = worker()) {
            w.runOnce();
        }
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.BOUNCED);
        assertThat(store.list(EnumSet.allOf(State.class), 100)).hasSize(1);
    }

    @Test
    void untrustedServerIsRefusedBeforeMailFromAndNothingIsSent() throws Exception {
        CertifiedKey selfSigned = new CertificateBuilder().dnsNames("localhost").build();
        try (CapturingServer bad = new CapturingServer(selfSigned)) {
            long id = store.enqueue(new Envelope("alice@example.org", List.of("bob@example.org")), MESSAGE);
            DeliveryOptions o = DeliveryOptions.defaults("relay.test").withTrust(List.of(ca.leaf()), false);
            try (DeliveryWorker w = new DeliveryWorker(store, Router.staticOnly(Map.of("example.org",
                    List.of("localhost:" + bad.port()))), o, Dialer.direct(), clock)) {
                w.runOnce();
                assertThat(w.metrics().refusalsByFinding()).containsKey("UNKNOWN_ISSUER");
            }
            assertThat(bad.messages).isEmpty();
            Attempt a = store.attempts(id).get(0);
            assertThat(a.outcome()).isEqualTo("refused");
            assertThat(a.findingCodes()).contains("UNKNOWN_ISSUER");
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
        }
    }

    private List<QueuedMessage> dsnsTo(String rcpt) {
        return store.list(EnumSet.allOf(State.class), 100).stream()
                .filter(q -> q.envelope().nullSender() && q.envelope().recipients().contains(rcpt)).toList();
    }
}
