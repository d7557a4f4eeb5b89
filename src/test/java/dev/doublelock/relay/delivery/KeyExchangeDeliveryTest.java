package dev.doublelock.relay.delivery;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.ClientTlsConfig;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.smtp.client.SmtpClientSession;
import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.tls.PkixTrust;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The relay sees the server's key exchange (group or DH size) in a live session and judges it before MAIL FROM:
 * real handshakes on loopback, against doublelock's own JSSE server and a Postfix receiver with a 1024-bit DH group.
 */
@Timeout(120)
class KeyExchangeDeliveryTest {
    @TempDir
    Path dir;

    private static SSLContext trusting(CertifiedKey ca) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {PkixTrust.trustManager(List.of(ca.leaf()))}, null);
        return ctx;
    }

    private static SessionObservation observe(CapturingServer server, ClientTlsConfig tls) throws Exception {
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.server.port());
        try (SmtpClientSession s = SmtpClientSession.connect(Dialer.direct(), at, "mx.test",
                ClientOptions.defaults("client.test").withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(10)))) {
            s.ehlo();
            assertThat(s.startTls(tls).isEstablished()).as("handshake").isTrue();
            SessionObservation o = s.observation();
            s.quit();
            return o;
        }
    }

    @Test
    void theClientRecordsTheGroupOrDhSizeTheServerChose() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir)) {
            CertifiedKey leaf = new CertificateBuilder().rsa(2048).dnsNames("mx.test").issuer(f.ca).build();
            leaf = leaf.withChain(List.of(leaf.leaf(), f.ca.leaf()));
            try (CapturingServer server = new CapturingServer(leaf)) {
                ClientTlsConfig base = ClientTlsConfig.verifying(trusting(f.ca), "mx.test");
                SessionObservation tls13 = observe(server, base.withNamedGroups(List.of("x25519", "secp256r1")));
                assertThat(tls13.protocol().orElseThrow().javaName()).isEqualTo("TLSv1.3");
                assertThat(tls13.group()).contains("x25519");
                assertThat(tls13.dhBits()).isEmpty();

                SessionObservation p384 = observe(server, base.withProtocols("TLSv1.2")
                        .withNamedGroups(List.of("secp384r1")));
                assertThat(p384.group()).contains("secp384r1");

                SessionObservation dhe = observe(server, base.withProtocols("TLSv1.2")
                        .withCipherSuites(List.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"))
                        .withNamedGroups(List.of("ffdhe3072")));
                assertThat(dhe.cipherSuite()).contains("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
                assertThat(dhe.dhBits()).contains(3072);
                assertThat(dhe.group()).isEmpty();
            }
        }
    }

    @Test
    void aGoodEcdheServerIsDeliveredToUnderBsi() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir);
             CapturingServer server = new CapturingServer(f.trustedLeaf("localhost"))) {
            long id = f.store.enqueue(new Envelope("alice@example.org", List.of("bob@good.test")), DeliveryFixture.MESSAGE);
            Router r = Router.staticOnly(Map.of("good.test", List.of("localhost:" + server.server.port())));
            try (DeliveryWorker w = f.worker(r, f.options(PolicyMap.defaults()))) {
                w.runOnce();
            }
            assertThat(f.store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
            Attempt a = f.onlyAttempt(id);
            assertThat(a.outcome()).isEqualTo("delivered");
            // the JDK server picks x25519, which bsi accepts with a WARN (BSI does not list it): seen and judged
            assertThat(a.findingsText()).contains("x25519");
            assertThat(a.policyVerdict()).doesNotContain("NON_COMPLIANT");
        }
    }

    /** A Postfix receiver with TLS 1.2 and DHE-RSA suites only, and a 1024-bit DH group of its own. */
    private PostfixInstance dhe1024Postfix(DeliveryFixture f, int port) throws Exception {
        CertifiedKey leaf = new CertificateBuilder().rsa(2048).dnsNames("localhost").issuer(f.ca).build();
        Path certs = Files.createTempDirectory(Path.of("/tmp"), "doublelock-dhe-");
        Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dh = certs.resolve("dh1024.pem");
        Process p = new ProcessBuilder("openssl", "dhparam", "-out", dh.toString(), "1024")
                .redirectErrorStream(true).redirectOutput(certs.resolve("dhparam.log").toFile()).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("openssl dhparam 1024").isTrue();
        assertThat(p.exitValue()).isZero();
        Files.setPosixFilePermissions(dh, PosixFilePermissions.fromString("rw-r--r--"));
        Path chain = certs.resolve("chain.pem");
        Path key = certs.resolve("key.pem");
        Pem.write(chain, Pem.encode(List.of(leaf.leaf(), f.ca.leaf())));
        Pem.write(key, Pem.encode(leaf.privateKey()));
        return PostfixInstance.receiver(port, "dhe.test", chain, key,
                Map.of("smtpd_tls_protocols", ">=TLSv1.2, <=TLSv1.2",
                        "smtpd_tls_ciphers", "high",
                        "tls_high_cipherlist", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384",
                        "smtpd_tls_dh1024_param_file", dh.toString(),
                        "smtpd_tls_eecdh_grade", "none")).start();
    }

    private static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void aDhe1024ServerIsRefusedBeforeMailFromUnderBsiAndDeliveredToUnderOpportunistic() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and /usr/sbin/postfix");
        assumeTrue(opensslAvailable(), "needs openssl to make DH parameters");
        int port = PostfixInstance.freePort();
        try (DeliveryFixture f = new DeliveryFixture(dir); PostfixInstance pf = dhe1024Postfix(f, port)) {
            Router r = Router.staticOnly(Map.of("dhe.test", List.of("localhost:" + port)));
            long strict = f.store.enqueue(new Envelope("alice@example.org", List.of("bob@dhe.test")), DeliveryFixture.MESSAGE);
            try (DeliveryWorker w = f.worker(r, f.options(PolicyMap.defaults()))) {
                w.runOnce();
                assertThat(w.metrics().refusalsByFinding()).containsKey("WEAK_KEY_EXCHANGE");
            }
            Attempt refused = f.onlyAttempt(strict);
            assertThat(refused.outcome()).isEqualTo("refused");
            assertThat(refused.tlsProtocol()).as("the handshake completed; refused before MAIL FROM").isEqualTo("TLSv1.2");
            assertThat(refused.tlsCipher()).startsWith("TLS_DHE_RSA_");
            assertThat(refused.findingCodes()).contains("WEAK_KEY_EXCHANGE");
            assertThat(refused.findingsText()).contains("1024");
            assertThat(f.store.find(strict).orElseThrow().state()).isEqualTo(State.DEFERRED);
            assertThat(pf.maillog()).doesNotContain("from=<alice@example.org>");

            long may = f.store.enqueue(new Envelope("alice@example.org", List.of("bob@dhe.test")), DeliveryFixture.MESSAGE);
            try (DeliveryWorker w = f.worker(r, f.options(new PolicyMap("opportunistic", Map.of(), PolicyMap.Mode.ENFORCE)))) {
                w.runOnce(); // the bsi message is not due yet; this delivers the opportunistic one
            }
            Attempt delivered = f.store.attempts(may).get(0);
            assertThat(delivered.outcome()).isEqualTo("delivered");
            assertThat(delivered.tlsCipher()).startsWith("TLS_DHE_RSA_");
            assertThat(delivered.findingCodes()).as("recorded, not refused").contains("WEAK_KEY_EXCHANGE");
            assertThat(f.store.find(strict).orElseThrow().state()).isEqualTo(State.DEFERRED);
            assertThat(pf.awaitLogLine(java.util.regex.Pattern.compile("status=sent"), Duration.ofSeconds(20)))
                    .as("Postfix stored the opportunistic message").isPresent();
            assertThat(pf.storedMessages()).as("only the opportunistic message arrived").hasSize(1);
        }
    }
}
