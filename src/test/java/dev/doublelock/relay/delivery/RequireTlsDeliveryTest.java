package dev.doublelock.relay.delivery;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8689: the REQUIRETLS MAIL parameter and the {@code TLS-Required: No} header field, over static routes. */
@Timeout(60)
class RequireTlsDeliveryTest {
    static final byte[] TLS_REQUIRED_NO = ("From: alice@example.org\r\nTLS-Required: No\r\nSubject: your TLS is broken"
            + "\r\n\r\nplease fix your certificate\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    DeliveryFixture fx;
    CapturingServer server;

    @BeforeEach
    void setUp() {
        fx = new DeliveryFixture(dir);
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        fx.close();
    }

    DeliveryWorker worker() {
        return fx.worker(Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port()))),
                fx.options(PolicyMap.defaults()));
    }

    @Test
    void requireTlsToAServerNotAdvertisingItIsNotSentAndFinallyBouncedNamingTheReason() throws Exception {
        server = new CapturingServer(fx.trustedLeaf("localhost"));
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net"),
                Map.of("REQUIRETLS", "")), DeliveryFixture.MESSAGE);
        try (DeliveryWorker w = worker()) {
            w.runOnce();
            assertThat(server.messages).isEmpty();
            Attempt a = fx.onlyAttempt(id);
            assertThat(a.outcome()).isEqualTo("refused");
            assertThat(a.tlsProtocol()).as("TLS itself was fine").isNotNull();
            assertThat(a.replyText()).contains("REQUIRETLS").contains("does not advertise it");
            assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);

            fx.clock.advance(Duration.ofMinutes(11));
            w.runOnce();
        }
        assertThat(server.messages).isEmpty();
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.BOUNCED);
        List<QueuedMessage> dsns = fx.store.list(EnumSet.allOf(State.class), 100).stream()
                .filter(q -> q.envelope().nullSender()).toList();
        assertThat(dsns).hasSize(1);
        String report = new String(fx.store.messageBytes(dsns.get(0).id()), StandardCharsets.UTF_8);
        assertThat(report).contains("REQUIRETLS").contains("Action: failed");
    }

    @Test
    void tlsRequiredNoGoesToASelfSignedServerUnderBsiOpportunistically() throws Exception {
        server = new CapturingServer(DeliveryFixture.selfSigned("localhost"));
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")), TLS_REQUIRED_NO);
        try (DeliveryWorker w = worker()) {
            w.runOnce();
        }
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(server.messages).hasSize(1);
        // issue 9 item 7: unauthenticated TLS as Postfix "may" does, never plaintext when a handshake is possible;
        // the unverifiable certificate is recorded (UNKNOWN_ISSUER) and the session marked unverified
        assertThat(server.messages.get(0).receivedOverTls()).as("encrypted, unauthenticated").isTrue();
        assertThat(new String(server.messages.get(0).content(), StandardCharsets.US_ASCII))
                .containsPattern("Received: by [^\\r]*\\r\\n\\twith ESMTPS \\(TLSv1\\.3 [A-Z0-9_]+, unverified\\)");
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("delivered");
        assertThat(a.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(a.findingCodes()).contains("UNKNOWN_ISSUER");
        assertThat(a.policyVerdict()).startsWith("bsi: ").contains("unverified TLS").doesNotContain("plaintext fallback");
    }

    @Test
    void withoutTheHeaderTheSameServerIsRefusedUnderBsi() throws Exception {
        server = new CapturingServer(DeliveryFixture.selfSigned("localhost"));
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")),
                DeliveryFixture.MESSAGE);
        try (DeliveryWorker w = worker()) {
            w.runOnce();
        }
        assertThat(server.messages).isEmpty();
        assertThat(fx.onlyAttempt(id).outcome()).isEqualTo("refused");
    }

    @Test
    void requireTlsWinsOverATlsRequiredNoHeader() throws Exception {
        server = new CapturingServer(DeliveryFixture.selfSigned("localhost"));
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net"),
                Map.of("REQUIRETLS", "")), TLS_REQUIRED_NO);
        try (DeliveryWorker w = worker()) {
            w.runOnce();
        }
        assertThat(server.messages).isEmpty();
        assertThat(fx.onlyAttempt(id).outcome()).isEqualTo("refused");
    }
}
