package dev.doublelock.relay.delivery;

import dev.doublelock.policy.transport.ChainAuthentication;

import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
import dev.doublelock.smtp.client.SmtpClientSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery worker's connection cache: a judged TLS session outlives its claim batch and carries the next
 * message with the same delivery decision (after RSET) while it has been idle less than the cache time; it is QUIT
 * when that time is up, when the worker closes, or at once when the cache is off.
 */
@Timeout(60)
class ConnectionCacheDeliveryTest {
    @TempDir
    Path dir;

    private static byte[] message(int i) {
        return DeliveryFixture.numberedMessage(i);
    }

    private static long enqueue(DeliveryFixture f, String recipient, int i) {
        return f.store.enqueue(new Envelope("alice@example.org", List.of(recipient)), message(i));
    }

    private static Router routerTo(CountingServer server) {
        return Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
    }

    /** Waits up to 5 s for {@code value} to reach {@code expected} (the server sees a QUIT after the client sent it). */
    private static void awaitValue(IntSupplier value, int expected, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (value.getAsInt() != expected && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(value.getAsInt()).as(what).isEqualTo(expected);
    }

    @Test
    void theNextBatchGoesOverTheConnectionTheLastOneLeftOpen() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            long first;
            long second;
            try (DeliveryWorker w = f.worker(routerTo(server), f.options(PolicyMap.defaults()))) {
                first = enqueue(f, "a@example.net", 0);
                assertThat(w.runOnce()).isEqualTo(1);
                second = enqueue(f, "b@example.net", 1);
                f.clock.advance(Duration.ofMillis(1500));
                assertThat(w.runOnce()).isEqualTo(1);

                assertThat(w.metrics().sessionsReused()).isEqualTo(1);
                assertThat(server.connections.get()).isEqualTo(1);
                assertThat(server.quits.get()).as("the connection waits for the next message").isZero();
                assertThat(w.metrics().cachedConnections()).isEqualTo(1);
                assertThat(w.metrics().prometheusText()).contains("doublelock_connections_cached 1.0\n")
                        .contains("doublelock_connection_reuse_total 1.0\n");
            }
            awaitValue(server.quits::get, 1, "closing the worker QUITs the cached connection");
            assertThat(server.messages).hasSize(2);
            for (long id : List.of(first, second)) {
                assertThat(f.store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
                assertThat(f.onlyAttempt(id).tlsProtocol()).startsWith("TLSv1.");
                assertThat(f.onlyAttempt(id).policyVerdict()).contains("COMPLIANT");
            }
            assertThat(new String(server.messages.get(1).content(), StandardCharsets.US_ASCII))
                    .endsWith(new String(message(1), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aConnectionIdleLongerThanTheCacheTimeIsQuitAndNotReused() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            DeliveryOptions options = f.options(PolicyMap.defaults()).withConnectionCacheTime(Duration.ofSeconds(2));
            try (DeliveryWorker w = f.worker(routerTo(server), options)) {
                long first = enqueue(f, "a@example.net", 0);
                w.runOnce();
                f.clock.advance(Duration.ofSeconds(2));
                long second = enqueue(f, "b@example.net", 1);
                w.runOnce();

                assertThat(w.metrics().sessionsReused()).isZero();
                assertThat(server.connections.get()).isEqualTo(2);
                awaitValue(server.quits::get, 1, "the expired connection is QUIT");
                assertThat(f.store.find(first).orElseThrow().state()).isEqualTo(State.DELIVERED);
                assertThat(f.store.find(second).orElseThrow().state()).isEqualTo(State.DELIVERED);
            }
            awaitValue(server.quits::get, 2, "closing the worker QUITs the second");
        }
    }

    @Test
    void withTheCacheOffEachBatchQuitsItsConnections() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            DeliveryOptions options = f.options(PolicyMap.defaults()).withConnectionCacheTime(Duration.ZERO);
            try (DeliveryWorker w = f.worker(routerTo(server), options)) {
                enqueue(f, "a@example.net", 0);
                w.runOnce();
                awaitValue(server.quits::get, 1, "the batch's connection is QUIT when the batch ends");
                enqueue(f, "b@example.net", 1);
                w.runOnce();
                assertThat(server.connections.get()).isEqualTo(2);
                assertThat(w.metrics().sessionsReused()).isZero();
                awaitValue(server.quits::get, 2, "and so is the next one");
            }
            assertThat(server.messages).hasSize(2);
        }
    }

    @Test
    void theSharedPoolKeepsTheMostRecentSessionsUpToItsLimitAndSweepsTheIdleOnes() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CountingServer server = new CountingServer(f.trustedLeaf("localhost"), 0)) {
            SessionPool.Key key = server.poolKey();
            SmtpClientSession[] s = new SmtpClientSession[4];
            for (int i = 0; i < s.length; i++) {
                s[i] = server.openPlain();
            }
            try (SessionPool pool = SessionPool.shared(f.clock, Duration.ofSeconds(2), 2)) {
                for (int i = 0; i < 3; i++) {
                    pool.offer(key, open(s[i], f));
                }
                DeliveryFixture.awaitClosed(s[0], "the longest idle of three is QUIT (limit two)");
                assertThat(s[1].isOpen()).isTrue();
                assertThat(pool.idleSessions()).isEqualTo(2);
                assertThat(pool.take(key)).map(SessionPool.OpenSession::session).as("most recently used first")
                        .containsSame(s[2]);
                assertThat(pool.take(key)).map(SessionPool.OpenSession::session).containsSame(s[1]);
                assertThat(pool.take(key)).isEmpty();

                pool.offer(key, open(s[1], f));
                f.clock.advance(Duration.ofSeconds(1));
                pool.offer(key, open(s[2], f));
                f.clock.advance(Duration.ofMillis(1500));
                assertThat(pool.sweep()).as("idle 2.5 s: swept; idle 1.5 s: kept").isEqualTo(1);
                DeliveryFixture.awaitClosed(s[1], "idle too long");
                assertThat(s[2].isOpen()).isTrue();
                assertThat(pool.idleSessions()).isEqualTo(1);
            }
            assertThat(s[2].isOpen()).as("closing the pool QUITs what waits").isFalse();
            awaitValue(server.quits::get, 3, "three sessions QUIT so far");
            SessionPool closed = SessionPool.shared(f.clock, Duration.ofSeconds(2), 2);
            closed.close();
            closed.offer(key, open(s[3], f));
            DeliveryFixture.awaitClosed(s[3], "a closed pool QUITs what it is offered");
            awaitValue(server.quits::get, 4, "every session was QUIT");
        }
    }

    @Test
    void retiringASessionWhoseServerNeverAnswersQuitDoesNotHoldUpTheDelivery() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             DeliveryFixture f = new DeliveryFixture(dir)) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (java.net.Socket c = silent.accept()) {
                    var out = c.getOutputStream();
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(),
                            StandardCharsets.US_ASCII));
                    out.write("220 silent.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine();
                    out.write("250 silent.test\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (in.readLine() != null) {
                        // reads QUIT and never answers it
                    }
                } catch (java.io.IOException ignored) {
                    // the client gave up
                }
            });
            var address = new java.net.InetSocketAddress("127.0.0.1", silent.getLocalPort());
            SmtpClientSession session = SmtpClientSession.connect(dev.doublelock.smtp.client.Dialer.direct(), address,
                    "silent.test", dev.doublelock.smtp.client.ClientOptions.defaults("relay.test")
                            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30)));
            session.ehlo();
            SessionPool.Key key = new SessionPool.Key(new Hop("silent.test", silent.getLocalPort()), address, "default",
                    "enforce", "default", ChainAuthentication.PKIX);
            SessionPool pool = SessionPool.shared(f.clock, Duration.ofSeconds(2), 2);
            // at its message limit, so offering it retires it: QUIT goes out, the answer would take 30 s
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pool.offer(key,
                    new SessionPool.OpenSession(session, "127.0.0.1", TlsUsed.NONE, List.of(), false, f.clock.instant(),
                            SessionPool.MAX_MESSAGES)));
            assertThat(pool.idleSessions()).isZero();
            session.close();
            server.join(Duration.ofSeconds(5));
        }
    }

    private static SessionPool.OpenSession open(SmtpClientSession s, DeliveryFixture f) {
        return new SessionPool.OpenSession(s, "127.0.0.1", TlsUsed.NONE, List.of(), false, f.clock.instant(), 1);
    }
}
