package dev.doublelock.relay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.doublelock.dkim.DkimSigner;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZones;
import dev.doublelock.dns.TrustAnchors;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
import dev.doublelock.testing.Command;
import dev.doublelock.testing.MutableClock;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tlsrpt.ReportMails;
import dev.doublelock.tlsrpt.ReportSchema;
import dev.doublelock.tlsrpt.SessionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A day of counted sessions becomes one RFC 8460 report per domain: by mail (DKIM-signed, checked by Debian's
 * python3-dkim) through the relay's queue, and by HTTPS POST; a second node sending the same day sends nothing.
 */
class TlsReportSenderTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(AT.plus(Duration.ofDays(1)));
    QueueStore store;
    TestDnsServer dns;
    HttpsServer https;
    SSLContext httpsTrust;
    final List<byte[]> posts = new CopyOnWriteArrayList<>();
    final List<String> postTypes = new CopyOnWriteArrayList<>();
    KeyPair dkimKey;

    @BeforeEach
    void setUp() throws Exception {
        store = QueueStores.open(dir.resolve("queue.db").toString(), clock);
        CertifiedKey ca = new CertificateBuilder().subject("CN=TLS-RPT test CA").certificateAuthority(0).build();
        // the collector has a name only the test DNS knows: the POST finds it through the relay's resolver or not at all
        CertifiedKey web = new CertificateBuilder().dnsNames("collector.rpt.test").issuer(ca).build();
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(new KeyManager[] {web.keyManager()}, null, null);
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
        https.createContext("/tlsrpt", ex -> {
            postTypes.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type"));
            posts.add(ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        https.start();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.leaf());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, tmf.getTrustManagers(), null);
        httpsTrust = clientCtx;
        dns = new TestDnsServer().add(new TestZones("rpt.test").txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:reports@collector.test,"
                + "https://collector.rpt.test:" + https.getAddress().getPort() + "/tlsrpt")
                .a("collector", "127.0.0.1").unsigned());
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        dkimKey = g.generateKeyPair();
        long id = store.enqueue(new Envelope("a@relay.test", List.of("b@rpt.test")), "x\r\n".getBytes(StandardCharsets.US_ASCII));
        Attempt a = new Attempt(AT, "mx.rpt.test", "127.0.0.1", "TLSv1.3", null, "x", List.of(), "", 0, null, null,
                Duration.ZERO, "delivered");
        for (int i = 0; i < 3; i++) {
            store.recordAttempt(id, a, new SessionResult(AT, "no-policy-found", List.of(), "rpt.test", "mx.rpt.test", Optional.empty()));
        }
        store.recordAttempt(id, a, new SessionResult(AT, "no-policy-found", List.of(), "rpt.test", "mx.rpt.test",
                Optional.of(new SessionResult.Failure("certificate-expired", "", "mx.rpt.test", "127.0.0.1", "EXPIRED_CERTIFICATE"))));
        store.recordAttempt(id, a, new SessionResult(AT, "no-policy-found", List.of(), "silent.test", "mx.silent.test", Optional.empty()));
    }

    @AfterEach
    void tearDown() {
        https.stop(0);
        dns.close();
        store.close();
    }

    TlsReportSender sender(QueueStore on, String node) {
        var resolver = DnsjavaResolver.builder().server(dns.address()).trustAnchors(TrustAnchors.none())
                .timeout(Duration.ofMillis(500)).mxOrder(MxOrder.stable()).build();
        var settings = new TlsReportSender.TlsReportSettings("Relay Test Org", "mailto:postmaster@relay.test",
                "relay.test", "tlsrpt-noreply@relay.test",
                Optional.of(new DkimSigner("relay.test", "tlsrpt", dkimKey.getPrivate())));
        return new TlsReportSender(on, resolver, settings, httpsTrust, clock, node);
    }

    @Test
    void oneSignedReportByMailAndOneByHttpsPerDomainAndDayAcrossNodes() throws Exception {
        List<TlsReportSender.Sent> sent = sender(store, "node-a").send(DAY);
        assertThat(sent).extracting(TlsReportSender.Sent::domain).containsExactly("rpt.test", "silent.test");
        assertThat(sent.getFirst().destinations()).containsExactly("mailto:reports@collector.test",
                "https://collector.rpt.test:" + https.getAddress().getPort() + "/tlsrpt");
        assertThat(sent.get(1).note()).contains("no _smtp._tls record");

        List<QueuedMessage> mails = store.list(Set.of(State.QUEUED), 10).stream()
                .filter(m -> m.envelope().recipients().equals(List.of("reports@collector.test"))).toList();
        assertThat(mails).hasSize(1);
        assertThat(mails.getFirst().envelope().nullSender()).as("no bounce about a report").isTrue();
        assertThat(mails.getFirst().messageId()).startsWith(TlsReportSender.MESSAGE_ID_PREFIX);
        byte[] mail = store.messageBytes(mails.getFirst().id());
        String text = new String(mail, StandardCharsets.US_ASCII);
        assertThat(text.replaceAll("\r\n[ \t]+", " ")).contains("Subject: Report Domain: rpt.test Submitter: relay.test "
                + "Report-ID: <2026-12-01.rpt.test@relay.test>").contains("TLS-Report-Domain: rpt.test")
                .contains("report-type=tlsrpt").contains("Content-Type: application/tlsrpt+gzip")
                .contains("filename=\"relay.test!rpt.test!1796083200!1796169599.json.gz\"");
        JsonNode byMail = ReportMails.json(ReportMails.attachment(mail));
        assertThat(ReportSchema.violations(byMail)).as("RFC 8460 schema").isEmpty();
        assertThat(byMail.at("/organization-name").asText()).isEqualTo("Relay Test Org");
        assertThat(byMail.at("/policies/0/summary/total-successful-session-count").asLong()).isEqualTo(3);
        assertThat(byMail.at("/policies/0/summary/total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(byMail.at("/policies/0/failure-details/0/result-type").asText()).isEqualTo("certificate-expired");

        assertThat(postTypes).containsExactly("POST application/tlsrpt+gzip");
        assertThat(ReportMails.json(posts.getFirst())).isEqualTo(byMail);

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3"))
                        && Command.run(List.of("/usr/bin/python3", "-c", "import dkim"), null, 20).exitCode() == 0,
                "needs Debian's python3-dkim (installed by .ci/run)");
        Path eml = Files.write(dir.resolve("report.eml"), mail);
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(dkimKey.getPublic().getEncoded());
        Command.Result v = Command.run(List.of("/usr/bin/python3", "-c", "import dkim, sys\n"
                + "ok = dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=lambda n, timeout=5: sys.argv[2].encode())\n"
                + "print('DKIM', 'pass' if ok else 'fail')", eml.toString(), record), null, 30);
        assertThat(v.output()).as("an independent verifier accepts the report's signature").contains("DKIM pass");

        try (QueueStore otherNode = QueueStores.open(dir.resolve("queue.db").toString(), clock)) {
            List<TlsReportSender.Sent> again = sender(otherNode, "node-b").send(DAY);
            assertThat(again.getFirst().note()).isEqualTo("already sent by another node");
        }
        assertThat(posts).as("still one POST").hasSize(1);
    }
}
