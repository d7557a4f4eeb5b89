package dev.doublelock.relay.delivery;

import dev.doublelock.testing.MutableClock;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.RetrySchedule;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * What the DANE, MTA-STS and REQUIRETLS delivery tests share: a queue in a temp dir, a test clock, a test CA the
 * relay trusts, and workers with short timeouts and a one-minute retry schedule.
 */
final class DeliveryFixture implements AutoCloseable {
    static final byte[] MESSAGE = "From: alice@example.org\r\nSubject: hello\r\n\r\nsecure hello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    final MutableClock clock = MutableClock.now();
    final QueueStore store;
    final CertifiedKey ca = new CertificateBuilder().subject("CN=Delivery Fixture CA").certificateAuthority(0).build();

    DeliveryFixture(Path dir) {
        store = QueueStores.open(dir.resolve("queue.db").toString(), clock);
    }

    /** A leaf for {@code names} issued by the trusted test CA, served with the CA certificate. */
    CertifiedKey trustedLeaf(String... names) {
        CertifiedKey leaf = new CertificateBuilder().dnsNames(names).issuer(ca).build();
        return leaf.withChain(List.of(leaf.leaf(), ca.leaf()));
    }

    static CertifiedKey selfSigned(String... names) {
        return new CertificateBuilder().dnsNames(names).build();
    }

    /** Waits up to 5 s for {@code session} to be closed (a pool QUITs retired sessions in the background). */
    static void awaitClosed(dev.doublelock.smtp.client.SmtpClientSession session, String why) throws InterruptedException {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (session.isOpen() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        org.assertj.core.api.Assertions.assertThat(session.isOpen()).as(why).isFalse();
    }

    /** A small message whose subject and body carry {@code i}, to tell messages apart at the receiver. */
    static byte[] numberedMessage(int i) {
        return ("From: alice@example.org\r\nSubject: message " + i + "\r\n\r\nbody number " + i + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    DeliveryOptions options(PolicyMap policies) {
        return DeliveryOptions.defaults("relay.test").withTrust(List.of(ca.leaf()), false).withPolicies(policies)
                .withSchedule(RetrySchedule.defaults().withSteps(List.of(Duration.ofMinutes(1)), Duration.ofMinutes(1))
                        .withJitter(0).withGiveUpAfter(Duration.ofMinutes(10)).withDelayNoticeAfter(Duration.ofMinutes(5))
                        .withRandom(new Random(1)))
                .withClientOptions(ClientOptions.defaults("relay.test")
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    DeliveryWorker worker(Router router, DeliveryOptions options) {
        return new DeliveryWorker(store, router, options, Dialer.direct(), clock);
    }

    /** The single attempt recorded for message {@code id}. */
    Attempt onlyAttempt(long id) {
        List<Attempt> attempts = store.attempts(id);
        if (attempts.size() != 1) {
            throw new AssertionError("expected one attempt, got " + attempts);
        }
        return attempts.get(0);
    }

    /** SHA-256 of the certificate's SubjectPublicKeyInfo: the data of a "3 1 1" / "2 1 1" TLSA record. */
    static byte[] spkiSha256(X509Certificate cert) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
    }

    /**
     * The RFC 8460 report the counted sessions of the clock's day make for {@code domain}, checked against the report
     * schema; the first policy's entry is what a one-policy test looks at.
     */
    com.fasterxml.jackson.databind.JsonNode report(String domain) {
        java.time.LocalDate day = clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        var counts = dev.doublelock.tlsrpt.AggregateReport.byDomain(store.tlsResults(day)).get(domain);
        if (counts == null) {
            throw new AssertionError("no sessions counted for " + domain + " on " + day);
        }
        var json = new dev.doublelock.tlsrpt.AggregateReport("relay.test", "mailto:postmaster@relay.test", "r-" + domain,
                day, domain, counts).json();
        org.assertj.core.api.Assertions.assertThat(dev.doublelock.tlsrpt.ReportSchema.violations(json))
                .as("RFC 8460 schema: %s", json.toPrettyString()).isEmpty();
        return json;
    }

    @Override
    public void close() {
        store.close();
    }
}
