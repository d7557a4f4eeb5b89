package dev.doublelock.relay.delivery;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS session resumption per destination: a second delivery to the same server resumes the session of the first
 * (no trust manager is consulted), and the resumed session is still judged by the policy before MAIL FROM.
 */
@Timeout(60)
class ResumptionDeliveryTest {
    @TempDir
    Path dir;

    @Test
    void secondDeliveryToTheSameServerResumesTheSessionAndIsJudged() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CapturingServer server = new CapturingServer(f.trustedLeaf("localhost"))) {
            Router router = Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
            // no connection cache: the second message needs a connection of its own, which resumes the first's session
            try (DeliveryWorker w = f.worker(router, f.options(PolicyMap.defaults())
                    .withConnectionCacheTime(Duration.ZERO))) {
                long first = f.store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")),
                        DeliveryFixture.MESSAGE);
                w.runOnce();
                assertThat(w.metrics().tlsResumed()).isZero();
                long second = f.store.enqueue(new Envelope("alice@example.org", List.of("carol@example.net")),
                        DeliveryFixture.MESSAGE);
                w.runOnce();

                assertThat(f.store.find(first).orElseThrow().state()).isEqualTo(State.DELIVERED);
                assertThat(f.store.find(second).orElseThrow().state()).isEqualTo(State.DELIVERED);
                assertThat(server.messages).hasSize(2);
                assertThat(w.metrics().tlsResumed()).isEqualTo(1);
                assertThat(w.metrics().tlsResumptionsRejected()).isZero();
                Attempt a = f.onlyAttempt(second);
                assertThat(a.tlsProtocol()).isNotNull();
                assertThat(a.policyVerdict()).contains("COMPLIANT");
            }
        }
    }

    @Test
    void resumedSessionWhoseCertificateExpiredMeanwhileIsRefusedByThePolicy() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir)) {
            Instant now = f.clock.instant();
            CertifiedKey leaf = new CertificateBuilder().dnsNames("localhost").issuer(f.ca)
                    .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofMinutes(5))).build();
            try (CapturingServer server = new CapturingServer(leaf.withChain(List.of(leaf.leaf(), f.ca.leaf())))) {
                Router router = Router.staticOnly(Map.of("example.net", List.of("localhost:" + server.port())));
                try (DeliveryWorker w = f.worker(router, f.options(PolicyMap.defaults()))) {
                    long first = f.store.enqueue(new Envelope("alice@example.org", List.of("bob@example.net")),
                            DeliveryFixture.MESSAGE);
                    w.runOnce();
                    assertThat(f.store.find(first).orElseThrow().state()).isEqualTo(State.DELIVERED);

                    // the relay's clock passes the certificate's notAfter while the session is still resumable
                    f.clock.advance(Duration.ofMinutes(6));
                    long second = f.store.enqueue(new Envelope("alice@example.org", List.of("carol@example.net")),
                            DeliveryFixture.MESSAGE);
                    w.runOnce();

                    assertThat(server.messages).hasSize(1);
                    assertThat(f.store.find(second).orElseThrow().state()).isNotEqualTo(State.DELIVERED);
                    assertThat(w.metrics().tlsResumptionsRejected()).isEqualTo(1);
                    assertThat(w.metrics().tlsResumed()).isZero();
                    assertThat(f.onlyAttempt(second).findingCodes()).contains("EXPIRED_CERTIFICATE");
                }
            }
        }
    }
}
