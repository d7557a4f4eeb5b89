package dev.doublelock.relay.delivery;

import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
import dev.doublelock.queue.WaitingCount;
import dev.doublelock.relay.impact.ImpactReport;
import dev.doublelock.relay.impact.RelayOverview;
import dev.doublelock.relay.impact.ReportWindow;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The impact report end to end: the same mail to test receivers that fail the policy (an expired certificate from
 * the trusted CA; a self-signed one, for two domains) and to one that passes, delivered by a worker in testing mode
 * (everything arrives, and the impact report counts exactly the messages and domains the policy would have refused,
 * with their finding codes) and by one in enforce mode (exactly those wait, by domain and reason, and the refusals
 * by finding code say why). Three receivers on loopback, shared by both tests.
 */
@Timeout(60)
class ImpactDeliveryTest {
    static CertifiedKey ca = new CertificateBuilder().subject("CN=Impact Test CA").certificateAuthority(0).build();
    static CapturingServer good;
    static CapturingServer expired;
    static CapturingServer selfSigned;

    @TempDir
    Path dir;

    @BeforeAll
    static void startReceivers() throws Exception {
        CertifiedKey leaf = new CertificateBuilder().dnsNames("localhost").issuer(ca).build();
        good = new CapturingServer(leaf.withChain(List.of(leaf.leaf(), ca.leaf())));
        Instant now = Instant.now();
        CertifiedKey old = new CertificateBuilder().dnsNames("localhost").issuer(ca)
                .validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(2))).build();
        expired = new CapturingServer(old.withChain(List.of(old.leaf(), ca.leaf())));
        selfSigned = new CapturingServer(DeliveryFixture.selfSigned("localhost"));
    }

    @AfterAll
    static void stopReceivers() {
        for (CapturingServer s : new CapturingServer[] {good, expired, selfSigned}) {
            if (s != null) s.close();
        }
    }

    static Router router() {
        return Router.staticOnly(Map.of(
                "good.test", List.of("localhost:" + good.port()),
                "expired.test", List.of("localhost:" + expired.port()),
                "self-a.test", List.of("localhost:" + selfSigned.port()),
                "self-b.test", List.of("localhost:" + selfSigned.port())));
    }

    /** Six messages: five have a recipient domain that fails the policy, one only a good one. */
    static Map<String, Long> enqueue(DeliveryFixture f) {
        Map<String, List<String>> mail = new LinkedHashMap<>();
        mail.put("expired-1", List.of("a@expired.test"));
        mail.put("expired-2", List.of("b@expired.test", "c@expired.test"));
        mail.put("self-a", List.of("d@self-a.test"));
        mail.put("self-b", List.of("e@self-b.test"));
        mail.put("good", List.of("f@good.test"));
        mail.put("mixed", List.of("g@good.test", "h@self-a.test"));
        Map<String, Long> ids = new LinkedHashMap<>();
        int i = 0;
        for (var e : mail.entrySet()) {
            ids.put(e.getKey(), f.store.enqueue(new Envelope("alice@example.org", e.getValue()),
                    DeliveryFixture.numberedMessage(i++)));
        }
        return ids;
    }

    /** The fixture's short timeouts and retry schedule, trusting this test's CA. */
    static DeliveryOptions options(DeliveryFixture f, PolicyMap.Mode mode) {
        return f.options(PolicyMap.defaults().withMode(mode)).withTrust(List.of(ca.leaf()), false);
    }

    static ReportWindow lastDay(DeliveryFixture f) {
        return ReportWindow.last(Duration.ofDays(1), f.clock);
    }

    @Test
    void inTestingModeEverythingArrivesAndTheImpactReportCountsWhatWouldWait() throws Exception {
        int before = good.messages.size() + expired.messages.size() + selfSigned.messages.size();
        try (DeliveryFixture f = new DeliveryFixture(dir)) {
            Map<String, Long> ids = enqueue(f);
            try (DeliveryWorker w = f.worker(router(), options(f, PolicyMap.Mode.TESTING))) {
                w.runOnce();
            }
            for (var e : ids.entrySet()) {
                assertThat(f.store.find(e.getValue()).orElseThrow().state()).as(e.getKey()).isEqualTo(State.DELIVERED);
            }
            assertThat(good.messages.size() + expired.messages.size() + selfSigned.messages.size() - before)
                    .as("one transaction per message and domain").isEqualTo(7);

            ImpactReport report = ImpactReport.of(f.store, lastDay(f), PolicyMap.Mode.TESTING, 10);
            assertThat(report.messages()).as("all but 'good'").isEqualTo(5);
            assertThat(report.domains()).isEqualTo(3);
            assertThat(report.top()).extracting(ImpactReport.DomainImpact::domain, ImpactReport.DomainImpact::messages)
                    .containsExactly(tuple("expired.test", 2L), tuple("self-a.test", 2L), tuple("self-b.test", 1L));
            assertThat(report.top().get(0).reasons()).extracting(ImpactReport.Reason::code, ImpactReport.Reason::messages)
                    .containsExactly(tuple("EXPIRED_CERTIFICATE", 2L));
            assertThat(report.top().get(0).reasons().getFirst().words())
                    .isEqualTo("the receiving server's certificate expired");
            for (int i = 1; i < 3; i++) {
                assertThat(report.top().get(i).reasons()).extracting(ImpactReport.Reason::code)
                        .containsExactly("UNKNOWN_ISSUER");
            }
            assertThat(report.headline()).isEqualTo("If you enforced now: 5 messages to 3 domains would wait (of 6 "
                    + "messages delivered or tried in the last day).");
            assertThat(report.text()).contains("expired.test", "the receiving server's certificate is not issued by a "
                    + "trusted authority [UNKNOWN_ISSUER]", "testing mode");

            RelayOverview overview = RelayOverview.of(f.store, lastDay(f), PolicyMap.Mode.TESTING, f.clock.instant());
            assertThat(overview.waiting()).as("testing mode holds nothing back").isEmpty();
            assertThat(overview.refusals()).extracting(r -> r.code(), r -> r.refused(), r -> r.wouldRefuse())
                    .containsExactlyInAnyOrder(tuple("EXPIRED_CERTIFICATE", 0L, 2L), tuple("UNKNOWN_ISSUER", 0L, 3L));
        }
    }

    @Test
    void inEnforceModeExactlyThoseWaitByDomainAndReason() throws Exception {
        try (DeliveryFixture f = new DeliveryFixture(dir)) {
            Map<String, Long> ids = enqueue(f);
            try (DeliveryWorker w = f.worker(router(), options(f, PolicyMap.Mode.ENFORCE))) {
                w.runOnce();
            }
            for (var e : ids.entrySet()) {
                assertThat(f.store.find(e.getValue()).orElseThrow().state()).as(e.getKey())
                        .isEqualTo(e.getKey().equals("good") ? State.DELIVERED : State.DEFERRED);
            }
            List<WaitingCount> waiting = f.store.waitingByDomain();
            assertThat(waiting).extracting(WaitingCount::domain, WaitingCount::messages, WaitingCount::recipients)
                    .containsExactly(tuple("expired.test", 2L, 3L), tuple("self-a.test", 2L, 2L),
                            tuple("self-b.test", 1L, 1L));
            assertThat(waiting.get(0).reason()).startsWith("4.7.5 TLS refused by policy at localhost: ")
                    .endsWith("[EXPIRED_CERTIFICATE]");
            assertThat(waiting.get(2).reason()).endsWith("[UNKNOWN_ISSUER]");

            RelayOverview overview = RelayOverview.of(f.store, lastDay(f), PolicyMap.Mode.ENFORCE, f.clock.instant());
            assertThat(overview.refusals()).extracting(r -> r.code(), r -> r.refused(), r -> r.wouldRefuse())
                    .containsExactlyInAnyOrder(tuple("EXPIRED_CERTIFICATE", 2L, 0L), tuple("UNKNOWN_ISSUER", 3L, 0L));
            ImpactReport impact = overview.impact();
            assertThat(impact.messages()).as("nothing was delivered that the policy refuses").isZero();
            assertThat(impact.headline()).startsWith("If you enforced now: no more messages would wait. None of the 7 "
                    + "sessions of the last day");
            assertThat(impact.text()).contains("enforces the policy now");
        }
    }
}
