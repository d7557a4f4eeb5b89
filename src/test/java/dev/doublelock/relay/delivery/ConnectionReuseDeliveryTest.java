package dev.doublelock.relay.delivery;

import dev.doublelock.policy.transport.ChainAuthentication;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
import dev.doublelock.smtp.client.SmtpClientSession;
import dev.doublelock.smtp.server.ReceivedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMTP connection reuse: messages of one claim batch with the same delivery decision go over one judged session
 * (RSET between transactions); per-message outcomes stay per message, and a session that breaks mid-batch hands
 * the remaining messages back to new connections without losing or duplicating any.
 */
@Timeout(60)
class ConnectionReuseDeliveryTest {
    @TempDir
    Path dir;

    private static byte[] message(int i) {
        return DeliveryFixture.numberedMessage(i);
    }

    private static List<Long> enqueue(DeliveryFixture f, List<String> recipients) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            ids.add(f.store.enqueue(new Envelope("alice@example.org", List.of(recipients.get(i))), message(i)));
        }
        return ids;
    }

    /** The message body as received, after the Received header the relay prepends. */
    private static void assertArrivedIntact(List<ReceivedMessage> got, int i) {
        byte[] original = message(i);
        assertThat(got).filteredOn(m -> new String(m.content(), StandardCharsets.US_ASCII).endsWith(
                new String(original, StandardCharsets.US_ASCII))).as("message %d arrives exactly once", i).hasSize(1)
                .allSatisfy(m -> {
                    byte[] c = m.content();
                    byte[] tail = java.util.Arrays.copyOfRange(c, c.length - original.length, c.length);
                    assertThat(tail).isEqualTo(original);
                    assertThat(new String(c, StandardCharsets.US_ASCII)).startsWith("Received: ");
                });
    }

    private static void assertTlsAttempt(Attempt a, String outcome) {
        assertThat(a.tlsProtocol()).startsWith("TLSv1.");
        assertThat(a.tlsCipher()).isNotBlank();
        assertThat(a.policyVerdict()).contains("COMPLIANT");
        assertThat(a.outcome()).isEqualTo(outcome);
    }

    @Test
    void tenMessagesToOneDomainShareOneConnection() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            Router router = Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
            List<String> rcpts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                rcpts.add("user" + i + "@example.net");
            }
            List<Long> ids = enqueue(f, rcpts);
            try (DeliveryWorker w = f.worker(router, f.options(PolicyMap.defaults()))) {
                assertThat(w.runOnce()).isEqualTo(10);
                assertThat(w.metrics().sessionsReused()).isEqualTo(9);
            }
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.messages).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertArrivedIntact(server.messages, i);
                assertThat(f.store.find(ids.get(i)).orElseThrow().state()).isEqualTo(State.DELIVERED);
                assertTlsAttempt(f.onlyAttempt(ids.get(i)), "delivered");
            }
        }
    }

    @Test
    void aDeferredRecipientDefersOnlyItsMessageAndTheSessionGoesOn() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            Router router = Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
            List<Long> ids = enqueue(f, List.of("a@example.net", "b@example.net", "later@example.net",
                    "d@example.net", "e@example.net"));
            try (DeliveryWorker w = f.worker(router, f.options(PolicyMap.defaults()))) {
                w.runOnce();
            }
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.messages).hasSize(4);
            for (int i = 0; i < 5; i++) {
                if (i == 2) {
                    assertThat(f.store.find(ids.get(i)).orElseThrow().state()).isEqualTo(State.DEFERRED);
                    Attempt a = f.onlyAttempt(ids.get(i));
                    assertTlsAttempt(a, "deferred");
                    assertThat(a.replyCode()).isEqualTo(450);
                } else {
                    assertArrivedIntact(server.messages, i);
                    assertThat(f.store.find(ids.get(i)).orElseThrow().state()).isEqualTo(State.DELIVERED);
                    assertTlsAttempt(f.onlyAttempt(ids.get(i)), "delivered");
                }
            }
        }
    }

    @Test
    void aDroppedConnectionHandsTheRestToNewConnectionsLosingNothing() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 2)) {
            Router router = Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
            List<String> rcpts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                rcpts.add("user" + i + "@example.net");
            }
            List<Long> ids = enqueue(f, rcpts);
            try (DeliveryWorker w = f.worker(router, f.options(PolicyMap.defaults()))) {
                w.runOnce();
            }
            // two messages per connection: each drop sends the next message over a new connection
            assertThat(server.connections.get()).isEqualTo(3);
            assertThat(server.messages).hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertArrivedIntact(server.messages, i);
                assertThat(f.store.find(ids.get(i)).orElseThrow().state()).isEqualTo(State.DELIVERED);
                assertTlsAttempt(f.onlyAttempt(ids.get(i)), "delivered");
            }
        }
    }

    @Test
    void differentPolicyStanceDoesNotShareTheSession() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            Router router = Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
            long plain = f.store.enqueue(new Envelope("alice@example.org", List.of("a@example.net")), message(0));
            byte[] optOut = ("TLS-Required: No\r\n" + new String(message(1), StandardCharsets.US_ASCII))
                    .getBytes(StandardCharsets.US_ASCII);
            long noTls = f.store.enqueue(new Envelope("alice@example.org", List.of("b@example.net")), optOut);
            try (DeliveryWorker w = f.worker(router, f.options(PolicyMap.defaults()))) {
                w.runOnce();
                assertThat(w.metrics().sessionsReused()).isZero();
            }
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(f.store.find(plain).orElseThrow().state()).isEqualTo(State.DELIVERED);
            assertThat(f.store.find(noTls).orElseThrow().state()).isEqualTo(State.DELIVERED);
        }
    }

    @Test
    void poolRetiresSessionsAfterTheMessageLimitOrTheAgeLimit() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            SessionPool.Key key = server.poolKey();
            try (SessionPool pool = SessionPool.forBatch(f.clock)) {
                SmtpClientSession full = server.openPlain();
                pool.offer(key, new SessionPool.OpenSession(full, "127.0.0.1", TlsUsed.NONE, List.of(), false,
                        f.clock.instant(), SessionPool.MAX_MESSAGES));
                assertThat(pool.take(key)).isEmpty();
                DeliveryFixture.awaitClosed(full, "a session at its message limit is QUIT");

                SmtpClientSession old = server.openPlain();
                pool.offer(key, new SessionPool.OpenSession(old, "127.0.0.1", TlsUsed.NONE, List.of(), false,
                        f.clock.instant(), 1));
                SessionPool.Key other = new SessionPool.Key(key.hop(), key.address(), "default", "testing", "default",
                        ChainAuthentication.PKIX);
                assertThat(pool.take(other)).as("another stance never gets this session").isEmpty();
                f.clock.advance(SessionPool.MAX_AGE.plus(Duration.ofSeconds(1)));
                assertThat(pool.take(key)).isEmpty();
                DeliveryFixture.awaitClosed(old, "a session past its age limit is QUIT");
            }
        }
    }
}
