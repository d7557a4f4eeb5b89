package dev.doublelock.relay.delivery;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZones;
import dev.doublelock.dns.TrustAnchors;
import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MTA-STS (RFC 8461) end to end: an unsigned zone "sts.test" (MX → mx.sts.test → 127.0.0.1, an _mta-sts TXT
 * record), the policy served over HTTPS on loopback with a certificate from the test CA, doublelock's own SMTP
 * server as receiver. The local policy is {@code opportunistic} unless said otherwise, so every refusal here is
 * MTA-STS raising the bar.
 */
@Timeout(60)
class MtaStsDeliveryTest {
    static final String MX = "mx.sts.test";
    static final PolicyMap OPPORTUNISTIC = new PolicyMap("opportunistic", Map.of(), PolicyMap.Mode.ENFORCE);

    @TempDir
    Path dir;
    DeliveryFixture fx;
    TestDnsServer dns;
    HttpsServer https;
    CapturingServer server;
    final AtomicReference<String> policyBody = new AtomicReference<>();
    final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        fx = new DeliveryFixture(dir);
        dns = new TestDnsServer().add(zone("1"));
        CertifiedKey web = new CertificateBuilder().ipAddresses("127.0.0.1").issuer(fx.ca).build();
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(new KeyManager[] {web.keyManager()}, null, null);
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
        https.createContext("/", ex -> {
            fetches.incrementAndGet();
            byte[] body = policyBody.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        https.stop(0);
        dns.close();
        fx.close();
    }

    static org.xbill.DNS.Zone zone(String stsId) {
        return new TestZones("sts.test").mx("@", 10, MX).a("mx", "127.0.0.1")
                .txt("_mta-sts", "v=STSv1; id=" + stsId).unsigned();
    }

    static String policy(String mode, String mx) {
        return "version: STSv1\nmode: " + mode + "\nmx: " + mx + "\nmax_age: 86400\n";
    }

    DeliveryWorker worker(PolicyMap policies) throws Exception {
        return worker(fx.store, policies);
    }

    /** A worker on {@code store} resolving through the test DNS server and fetching from the test HTTPS server. */
    DeliveryWorker worker(dev.doublelock.queue.QueueStore store, PolicyMap policies) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", fx.ca.leaf());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, tmf.getTrustManagers(), null);
        StsFetcher fetcher = new StsFetcher(clientCtx, Duration.ofSeconds(5), StsFetcher.DEFAULT_MAX_BYTES,
                domain -> URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/" + domain
                        + "/.well-known/mta-sts.txt"));
        MailResolver resolver = DnsjavaResolver.builder().server(dns.address()).trustAnchors(TrustAnchors.none())
                .timeout(Duration.ofMillis(500)).mxOrder(MxOrder.stable()).build();
        return new DeliveryWorker(store, new Router(Optional.of(resolver), Map.of()),
                fx.options(policies).withMxPort(server.port()).withStsFetcher(fetcher),
                dev.doublelock.smtp.client.Dialer.direct(), fx.clock);
    }

    long enqueue() {
        return fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@sts.test")), DeliveryFixture.MESSAGE);
    }

    @Test
    void enforceWithAnMxTheHostIsNotListedInIsRefusedWithoutConnecting() throws Exception {
        server = new CapturingServer(fx.trustedLeaf(MX));
        policyBody.set(policy("enforce", "other.sts.test"));
        long id = enqueue();
        try (DeliveryWorker w = worker(OPPORTUNISTIC)) {
            w.runOnce();
        }
        assertThat(server.messages).isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("refused");
        assertThat(a.findingCodes()).containsExactly("MX_NOT_IN_STS_POLICY");
        assertThat(a.policyVerdict()).startsWith("mta-sts: ");
        assertThat(a.replyText()).contains("not listed in the MTA-STS policy");
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
        var report = fx.report("sts.test");
        assertThat(report.at("/policies/0/policy/policy-type").asText()).isEqualTo("sts");
        assertThat(report.at("/policies/0/failure-details/0/result-type").asText()).isEqualTo("validation-failure");
        assertThat(report.at("/policies/0/failure-details/0/receiving-mx-hostname").asText()).isEqualTo(MX);
    }

    @Test
    void enforceWithAValidCertificateDelivers() throws Exception {
        server = new CapturingServer(fx.trustedLeaf(MX));
        policyBody.set(policy("enforce", "*.sts.test"));
        long id = enqueue();
        try (DeliveryWorker w = worker(OPPORTUNISTIC)) {
            w.runOnce();
        }
        assertThat(server.messages).hasSize(1);
        assertThat(server.messages.get(0).receivedOverTls()).isTrue();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("delivered");
        assertThat(a.policyVerdict()).startsWith("mta-sts: ").contains("local policy opportunistic");
        var report = fx.report("sts.test");
        assertThat(report.at("/policies/0/policy/policy-type").asText()).isEqualTo("sts");
        assertThat(report.at("/policies/0/policy/policy-string").toString()).contains("mode: enforce", "mx: *.sts.test");
        assertThat(report.at("/policies/0/summary/total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(report.at("/policies/0/summary/total-failure-session-count").asLong()).isZero();
    }

    @Test
    void enforceRefusesASelfSignedServerThatOpportunisticWouldHaveFedPlaintext() throws Exception {
        server = new CapturingServer(DeliveryFixture.selfSigned(MX));
        policyBody.set(policy("enforce", MX));
        long id = enqueue();
        try (DeliveryWorker w = worker(OPPORTUNISTIC)) {
            w.runOnce();
        }
        assertThat(server.messages).as("no plaintext fallback under MTA-STS enforce").isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("refused");
        assertThat(a.findingCodes()).contains("UNKNOWN_ISSUER");
        assertThat(a.policyVerdict()).startsWith("mta-sts: ");
        assertThat(fx.report("sts.test").at("/policies/0/failure-details/0/result-type").asText())
                .isEqualTo("certificate-not-trusted");
    }

    @Test
    void testingModeDeliversAndRecordsWhatEnforceWouldHaveRefused() throws Exception {
        server = new CapturingServer(fx.trustedLeaf(MX));
        policyBody.set(policy("testing", "other.sts.test"));
        long id = enqueue();
        try (DeliveryWorker w = worker(PolicyMap.defaults())) {
            w.runOnce();
        }
        assertThat(server.messages).hasSize(1);
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("delivered");
        assertThat(a.findingCodes()).contains("MX_NOT_IN_STS_POLICY");
        assertThat(a.policyVerdict()).startsWith("bsi: ").contains("mta-sts testing: would refuse");
        // RFC 8461 §5: in testing mode the sender delivers, and reports the failure
        var report = fx.report("sts.test");
        assertThat(report.at("/policies/0/policy/policy-string").toString()).contains("mode: testing");
        assertThat(report.at("/policies/0/summary/total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(report.at("/policies/0/failure-details/0/result-type").asText()).isEqualTo("validation-failure");
    }

    @Test
    void refusalIsTransientTheCacheIsUsedWhileTheIdStaysAndANewIdIsFetchedOnRetry() throws Exception {
        server = new CapturingServer(fx.trustedLeaf(MX));
        policyBody.set(policy("enforce", "other.sts.test"));
        long id = enqueue();
        try (DeliveryWorker w = worker(OPPORTUNISTIC)) {
            w.runOnce();
            assertThat(fetches.get()).isEqualTo(1);
            policyBody.set(policy("enforce", MX)); // fixed on the web server, but the id did not change
            fx.clock.advance(Duration.ofMinutes(2));
            w.runOnce();
            assertThat(fetches.get()).as("same id: the cached policy is used (RFC 8461 §5.1)").isEqualTo(1);
            assertThat(server.messages).isEmpty();

            dns.add(zone("2"));
            fx.clock.advance(Duration.ofMinutes(2));
            w.runOnce();
        }
        assertThat(fetches.get()).isEqualTo(2);
        assertThat(server.messages).hasSize(1);
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(fx.store.attempts(id)).extracting(Attempt::outcome).containsExactly("refused", "refused", "delivered");
    }

    @Test
    void aRestartedRelayKeepsEnforcingTheCachedPolicyWhileAnAttackerStripsTheRecordAndBlocksTheFetch() throws Exception {
        server = new CapturingServer(DeliveryFixture.selfSigned(MX));
        policyBody.set(policy("enforce", MX));
        long id = enqueue();
        try (DeliveryWorker w = worker(OPPORTUNISTIC)) {
            w.runOnce();
        }
        assertThat(fetches.get()).isEqualTo(1);
        // the relay restarts (a new store on the same queue file); meanwhile the record is gone and the fetch fails
        dns.add(new TestZones("sts.test").mx("@", 10, MX).a("mx", "127.0.0.1").unsigned());
        https.stop(0);
        fx.clock.advance(Duration.ofMinutes(3));
        try (dev.doublelock.queue.QueueStore restarted = dev.doublelock.queue.QueueStores.open(
                dir.resolve("queue.db").toString(), fx.clock);
             DeliveryWorker w = worker(restarted, OPPORTUNISTIC)) {
            assertThat(w.runOnce()).isEqualTo(1);
        }
        assertThat(server.messages).as("opportunistic alone would have delivered to this self-signed server").isEmpty();
        assertThat(fx.store.attempts(id)).extracting(Attempt::outcome).containsExactly("refused", "refused");
        Attempt second = fx.store.attempts(id).get(1);
        assertThat(second.policyVerdict()).startsWith("mta-sts: ");
        assertThat(second.findingCodes()).contains("UNKNOWN_ISSUER");
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void requireTlsNeedsAnMxThatIsSignedOrListedByMtaSts() throws Exception {
        // RFC 8689 §4.2.1: unsigned MX records and an MTA-STS policy that does not list the host: not used
        server = new CapturingServer(fx.trustedLeaf(MX));
        policyBody.set(policy("testing", "other.sts.test"));
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@sts.test"), Map.of("REQUIRETLS", "")),
                DeliveryFixture.MESSAGE);
        try (DeliveryWorker w = worker(PolicyMap.defaults())) {
            w.runOnce();
        }
        assertThat(server.messages).isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("refused");
        assertThat(a.replyText()).contains("REQUIRETLS").contains("not DNSSEC-signed");
        assertThat(a.ip()).as("not even contacted").isNull();
    }
}
