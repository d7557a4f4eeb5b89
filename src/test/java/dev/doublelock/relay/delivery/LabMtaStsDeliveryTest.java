package dev.doublelock.relay.delivery;

import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TrustAnchors;
import dev.doublelock.lab.MtaStsResults;
import dev.doublelock.lab.MtaStsScenario;
import dev.doublelock.lab.RecordStore;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.RetrySchedule;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.testing.LabProcess;
import dev.doublelock.testing.MutableClock;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay as a sender against every MTA-STS scenario of a lab in its own JVM: it resolves MX, {@code _mta-sts} and
 * the policy host through the lab's DNS, fetches the policies from the lab's policy host (its port is the one thing
 * the test sets; senders fetch from 443), trusts the lab CA, and its local policy is {@code opportunistic}, so every
 * refusal is MTA-STS's doing. It must pass every scenario, and the lab must judge it so.
 */
@Timeout(120)
class LabMtaStsDeliveryTest {
    static final byte[] MESSAGE = "From: alice@example.org\r\nSubject: mta-sts\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
    static final PolicyMap OPPORTUNISTIC = new PolicyMap("opportunistic", Map.of(), PolicyMap.Mode.ENFORCE);
    static final String EHLO = "sts.relay.test";
    static final Name ZONE = Name.fromConstantString("lab.test.");
    static final String ORGANIZATION = "doublelock relay (MTA-STS lab test)";

    @TempDir
    static Path labDir;
    @TempDir
    static Path dir;
    static LabProcess lab;
    static X509Certificate labCa;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabProcess.start(labDir);
        labCa = Pem.readCertificates(lab.caFile()).get(0);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    @Test
    void theRelayPassesEveryScenario() throws Exception {
        MailResolver resolver = DnsjavaResolver.builder().server("127.0.0.1:" + lab.dnsPort())
                .trustAnchors(TrustAnchors.none()).timeout(Duration.ofSeconds(2)).mxOrder(MxOrder.stable()).build();
        StsFetcher fetcher = StsFetcher.resolvingThrough(trusting(labCa), Duration.ofSeconds(10),
                StsFetcher.DEFAULT_MAX_BYTES, StsFetcher.PolicyHostAddresses.from(resolver), lab.policyHostPort());
        MutableClock clock = MutableClock.now();
        List<String> table = new ArrayList<>();
        try (QueueStore store = QueueStores.open(dir.resolve("queue.db").toString(), clock)) {
            for (MtaStsScenario s : MtaStsScenario.values()) {
                long id = store.enqueue(new Envelope("alice@example.org", List.of("probe@" + s.domain(ZONE).toString(true))),
                        MESSAGE);
                // one worker per scenario: each scenario MX has its own port on the loopback lab (25 when published)
                DeliveryOptions o = DeliveryOptions.defaults(EHLO).withTrust(List.of(labCa), false)
                        .withPolicies(OPPORTUNISTIC).withMxPort(lab.scenarioPort(s.scenarioName())).withStsFetcher(fetcher)
                        .withSchedule(RetrySchedule.defaults().withSteps(List.of(Duration.ofMinutes(1)), Duration.ofMinutes(2))
                                .withJitter(0).withGiveUpAfter(Duration.ofMinutes(10)).withDelayNoticeAfter(Duration.ofDays(1))
                                .withRandom(new Random(7)))
                        .withClientOptions(ClientOptions.defaults(EHLO)
                                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(15)));
                try (DeliveryWorker w = new DeliveryWorker(store, new Router(Optional.of(resolver), Map.of()), o,
                        Dialer.direct(), clock)) {
                    w.runOnce();
                }
                Attempt a = store.attempts(id).get(0);
                table.add(String.format("%-26s %-10s %s | %s", s, a.outcome(), a.policyVerdict(), a.findingCodes()));
                boolean mustDeliver = s.expectation() != MtaStsScenario.Expectation.REFUSE;
                assertThat(a.outcome()).as("%s (%s): %s", s, s.expectation().words(), a)
                        .isEqualTo(mustDeliver ? "delivered" : "refused");
                switch (s) {
                    case ENFORCE_SELF_SIGNED -> assertThat(a.findingCodes()).contains("UNKNOWN_ISSUER");
                    case ENFORCE_MX_NOT_LISTED -> assertThat(a.findingCodes()).containsExactly("MX_NOT_IN_STS_POLICY");
                    case TESTING_BAD_MX -> assertThat(a.policyVerdict()).contains("mta-sts testing: would refuse");
                    case POLICY_HOST_INVALID_CERT -> assertThat(a.findingCodes()).doesNotContain("MX_NOT_IN_STS_POLICY");
                    case ENFORCE_GOOD -> assertThat(a.policyVerdict()).startsWith("mta-sts: ");
                }
            }
            System.out.println("the relay against the MTA-STS scenarios:\n" + String.join("\n", table));
            // testing mode: delivered, and the failure is in the day's TLS report for the domain (RFC 8460)
            java.time.LocalDate day = clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
            String testing = MtaStsScenario.TESTING_BAD_MX.domain(ZONE).toString(true);
            var counts = dev.doublelock.tlsrpt.AggregateReport.byDomain(store.tlsResults(day)).get(testing);
            assertThat(counts).as("sessions counted for " + testing).isNotNull();
            var report = new dev.doublelock.tlsrpt.AggregateReport("relay.test", "mailto:postmaster@relay.test", "r1", day,
                    testing, counts).json();
            assertThat(report.at("/policies/0/policy/policy-type").asText()).isEqualTo("sts");
            assertThat(report.at("/policies/0/policy/policy-string").toString()).contains("mode: testing");
            assertThat(report.at("/policies/0/summary/total-failure-session-count").asLong()).isEqualTo(1);
            assertThat(report.at("/policies/0/failure-details/0/result-type").asText()).isEqualTo("validation-failure");

            // ...and sent, as the domain's _smtp._tls record asks: by mail to tlsrpt@good.lab.test, the lab's inbox, and
            // by HTTPS to tlsrpt.lab.test on the lab's policy host (its address from the lab's DNS, its leaf the lab CA's)
            var settings = new TlsReportSender.TlsReportSettings(ORGANIZATION, "mailto:postmaster@relay.test",
                    "relay.test", "tlsrpt-noreply@relay.test", Optional.empty());
            List<TlsReportSender.Sent> sent = new TlsReportSender(store, resolver, settings,
                    trusting(labCa), clock, "node-1").send(day);
            assertThat(sent).filteredOn(x -> x.domain().equals(testing)).singleElement()
                    .satisfies(x -> assertThat(x.destinations()).hasSize(2).first().isEqualTo("mailto:tlsrpt@good.lab.test"))
                    .satisfies(x -> assertThat(x.destinations().get(1)).startsWith("https://tlsrpt.lab.test:").endsWith("/tlsrpt"));
            DeliveryOptions toGood = DeliveryOptions.defaults(EHLO).withTrust(List.of(labCa), false)
                    .withPolicies(OPPORTUNISTIC).withMxPort(lab.port("good")).withStsFetcher(fetcher);
            try (DeliveryWorker w = new DeliveryWorker(store, new Router(Optional.of(resolver), Map.of()), toGood,
                    Dialer.direct(), clock)) {
                w.runOnce();
            }
        }
        Thread.sleep(300); // the lab writes its record when the session closes
        try (RecordStore records = RecordStore.openDefault(lab.dataDir())) {
            List<SessionRecord> mine = records.all(0).stream().filter(r -> EHLO.equals(r.ehloName())).toList();
            List<MtaStsResults.Row> rows = MtaStsResults.of(mine).rows();
            assertThat(rows).hasSize(1);
            for (MtaStsScenario s : MtaStsScenario.values()) {
                MtaStsResults.Cell cell = rows.get(0).cell(s);
                assertThat(cell.outcome()).as("the lab's judgement of %s: %s%n%s", s, cell.words(), String.join("\n", table))
                        .contains(MtaStsScenario.Outcome.PASSED);
            }
            // the relay never connects to an MX the enforced policy does not list
            assertThat(rows.get(0).cell(MtaStsScenario.ENFORCE_MX_NOT_LISTED).verdict()).isEmpty();
            // one report per scenario domain, each by HTTPS first (the mail, later, is the same report: a duplicate,
            // not stored again)
            assertThat(records.tlsReports()).filteredOn(r -> r.report().organization().equals(ORGANIZATION))
                    .hasSize(MtaStsScenario.values().length)
                    .extracting(dev.doublelock.lab.TlsReportRecord::via).containsOnly(dev.doublelock.lab.TlsReportRecord.Via.POST);
            // the lab has the relay's report about the testing-mode failure, beside its results
            assertThat(MtaStsResults.reports(records.tlsReports(), ZONE))
                    .filteredOn(r -> r.scenario() == MtaStsScenario.TESTING_BAD_MX).singleElement()
                    .satisfies(r -> {
                        assertThat(r.organization()).isEqualTo(ORGANIZATION);
                        assertThat(r.policyType()).isEqualTo("sts");
                        assertThat(r.failed()).isEqualTo(1);
                        assertThat(r.resultTypes()).containsExactly("validation-failure");
                    });
        }
        // and 'lab results --mta-sts' says so, beside the relay's results
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(dev.doublelock.cli.Main.run("lab", "results", "--data", labDir.toString(), "--mta-sts")).isZero();
        } finally {
            System.setOut(old);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(EHLO, "=> no MTA-STS scenario failed", "TLS report from " + ORGANIZATION
                + " on sts-testing-bad-mx (sts): 0 successful, 1 failed [validation-failure]");
    }

    static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
