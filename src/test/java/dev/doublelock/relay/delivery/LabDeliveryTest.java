package dev.doublelock.relay.delivery;

import dev.doublelock.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.RecordStore;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.RetrySchedule;
import dev.doublelock.queue.State;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.testing.LabProcess;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay against the lab, which runs in its own JVM (so this JVM keeps the JDK's default algorithm limits):
 * every lab profile is a domain "{profile}.lab.test" with a static route to its port, the lab CA is trusted.
 */
@Timeout(120)
class LabDeliveryTest {
    static final byte[] MESSAGE = "From: alice@example.org\r\nSubject: lab\r\n\r\nhello lab\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path labDir;
    static LabProcess lab;
    static X509Certificate labCa;

    @TempDir
    Path dir;
    MutableClock clock;
    QueueStore store;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabProcess.start(labDir);
        labCa = Pem.readCertificates(lab.caFile()).get(0);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    @BeforeEach
    void openStore() {
        clock = MutableClock.now();
        store = QueueStores.open(dir.resolve("queue.db").toString(), clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /**
     * Profiles whose refusal under bsi needs the relay to observe the session's key exchange (the DH group size it
     * sees in the live handshake); asserted in the all-profiles test and, with the finding code, in their own test.
     */
    static final Set<LabProfile> KEY_EXCHANGE_DEFECTS = EnumSet.of(LabProfile.DHE_1024);

    /** The profiles the all-profiles bsi test sends to: all but the DANE scenarios (static routes: no DNS). */
    static List<LabProfile> bsiProfiles() {
        return LabProfile.tlsProfiles();
    }

    static String domain(LabProfile p) {
        return p.profileName() + ".lab.test";
    }

    Router router(Map<String, List<String>> extra) {
        Map<String, List<String>> routes = new HashMap<>(extra);
        for (LabProfile p : LabProfile.values()) {
            routes.put(domain(p), List.of("127.0.0.1:" + lab.port(p.profileName())));
        }
        return Router.staticOnly(routes);
    }

    DeliveryWorker worker(String ehlo, PolicyMap policies, Router router) {
        DeliveryOptions o = DeliveryOptions.defaults(ehlo).withTrust(List.of(labCa), false).withPolicies(policies)
                .withSchedule(RetrySchedule.defaults().withSteps(List.of(Duration.ofMinutes(1)), Duration.ofMinutes(2))
                        .withJitter(0).withGiveUpAfter(Duration.ofMinutes(10)).withDelayNoticeAfter(Duration.ofDays(1))
                        .withRandom(new Random(7)))
                .withDeliveryLog(Optional.of(dir.resolve("delivery.jsonl")))
                .withClientOptions(ClientOptions.defaults(ehlo)
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(15)));
        return new DeliveryWorker(store, router, o, Dialer.direct(), clock);
    }

    Map<LabProfile, Long> enqueueOnePerProfile() {
        return enqueueOneTo(LabProfile.tlsProfiles());
    }

    @Test
    void everyJudgedAttemptIsCountedForTheTlsReportsOfItsDay() throws Exception {
        List<LabProfile> profiles = List.of(LabProfile.GOOD, LabProfile.EXPIRED, LabProfile.TLS_1_0_ONLY);
        Map<LabProfile, Long> ids = enqueueOneTo(profiles);
        try (DeliveryWorker w = worker("tlsrpt.relay.test", PolicyMap.defaults(), router(Map.of()))) {
            w.runOnce();
        }
        java.time.LocalDate day = clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        var byDomain = dev.doublelock.tlsrpt.AggregateReport.byDomain(store.tlsResults(day));
        long attempts = ids.values().stream().mapToLong(id -> store.attempts(id).size()).sum();
        assertThat(byDomain.values().stream().flatMap(List::stream).mapToLong(dev.doublelock.tlsrpt.ResultCount::sessions)
                .sum()).as("one count per judged attempt").isEqualTo(attempts);
        var good = new dev.doublelock.tlsrpt.AggregateReport("relay.test", "postmaster@relay.test", "r1", day,
                domain(LabProfile.GOOD), byDomain.get(domain(LabProfile.GOOD))).json();
        assertThat(good.at("/policies/0/policy/policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(good.at("/policies/0/summary/total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(good.at("/policies/0/summary/total-failure-session-count").asLong()).isZero();
        assertThat(good.at("/date-range/start-datetime").asText()).isEqualTo(day + "T00:00:00Z");
        assertThat(good.at("/date-range/end-datetime").asText()).isEqualTo(day + "T23:59:59Z");
        var expired = new dev.doublelock.tlsrpt.AggregateReport("relay.test", "postmaster@relay.test", "r2", day,
                domain(LabProfile.EXPIRED), byDomain.get(domain(LabProfile.EXPIRED))).json();
        assertThat(expired.at("/policies/0/summary/total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(expired.at("/policies/0/failure-details/0/result-type").asText()).isEqualTo("certificate-expired");
        assertThat(expired.at("/policies/0/failure-details/0/receiving-ip").asText()).isEqualTo("127.0.0.1");
        assertThat(expired.at("/policies/0/failure-details/0/failed-session-count").asLong()).isEqualTo(1);
        assertThat(expired.at("/policies/0/failure-details/0/failure-reason-code").asText()).contains("EXPIRED_CERTIFICATE");
        var legacy = new dev.doublelock.tlsrpt.AggregateReport("relay.test", "postmaster@relay.test", "r3", day,
                domain(LabProfile.TLS_1_0_ONLY), byDomain.get(domain(LabProfile.TLS_1_0_ONLY))).json();
        assertThat(legacy.at("/policies/0/failure-details/0/result-type").asText()).isEqualTo("validation-failure");
    }

    @Test
    void theRelayDropsRepliesInjectedBeforeTlsAndDeliversOverTheRealOne() throws Exception {
        Map<LabProfile, Long> ids = enqueueOneTo(List.of(LabProfile.RESPONSE_INJECTION));
        String ehlo = "injection.relay.test";
        try (DeliveryWorker w = worker(ehlo, PolicyMap.defaults(), router(Map.of()))) {
            w.runOnce();
        }
        long id = ids.get(LabProfile.RESPONSE_INJECTION);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(store.attempts(id).getFirst().tlsProtocol()).isEqualTo("TLSv1.3");
        List<SessionRecord> sessions = labSessions(ehlo);
        assertThat(sessions).isNotEmpty().allMatch(s -> s.verdict() == dev.doublelock.lab.Verdict.DELIVERED);
    }

    Map<LabProfile, Long> enqueueOneTo(List<LabProfile> profiles) {
        Map<LabProfile, Long> ids = new LinkedHashMap<>();
        for (LabProfile p : profiles) {
            ids.put(p, store.enqueue(new Envelope("alice@example.org", List.of("user@" + domain(p))), MESSAGE));
        }
        return ids;
    }

    /** What one refused handshake can show: the shame profile stops at the protocol, before its certificate. */
    static List<String> observable(LabProfile p) {
        List<FindingCode> codes = p == LabProfile.SHAME
                ? List.of(FindingCode.PROTOCOL_NOT_RECOMMENDED, FindingCode.NO_RECOMMENDED_PROTOCOL)
                : p.expectedFindings();
        return codes.stream().map(Enum::name).toList();
    }

    @Test
    void bsiDeliversToGoodRefusesEveryDefectAndFinallyBouncesNamingTheFindings() throws Exception {
        List<LabProfile> profiles = bsiProfiles();
        Map<LabProfile, Long> ids = enqueueOneTo(profiles);
        long defects = profiles.stream().filter(p -> !p.isGood()).count();
        String ehlo = "bsi.relay.test";
        try (DeliveryWorker w = worker(ehlo, PolicyMap.defaults(), router(Map.of()))) {
            assertThat(w.runOnce()).isEqualTo(profiles.size());
            for (var e : ids.entrySet()) {
                QueuedMessage m = store.find(e.getValue()).orElseThrow();
                List<Attempt> attempts = store.attempts(e.getValue());
                assertThat(attempts).as(e.getKey().profileName()).hasSize(1);
                if (e.getKey().isGood()) {
                    assertThat(m.state()).as(e.getKey().profileName()).isEqualTo(State.DELIVERED);
                    assertThat(attempts.get(0).outcome()).as(e.getKey().profileName()).isEqualTo("delivered");
                    assertThat(attempts.get(0).tlsProtocol()).as(e.getKey().profileName()).isNotNull();
                } else {
                    assertThat(m.state()).as(e.getKey().profileName()).isEqualTo(State.DEFERRED);
                    assertThat(attempts.get(0).outcome()).as(e.getKey().profileName()).isEqualTo("refused");
                    assertThat(attempts.get(0).findingCodes()).as(e.getKey().profileName())
                            .containsAll(observable(e.getKey()));
                }
            }
            clock.advance(Duration.ofMinutes(11));
            w.runOnce();
            assertThat(w.metrics().bounced()).isEqualTo(defects);
        }
        List<QueuedMessage> dsns = store.list(EnumSet.allOf(State.class), 1000).stream()
                .filter(q -> q.envelope().nullSender()).toList();
        assertThat(dsns).hasSize((int) defects);
        for (var e : ids.entrySet()) {
            if (e.getKey().isGood()) continue;
            assertThat(store.find(e.getValue()).orElseThrow().state()).as(e.getKey().profileName()).isEqualTo(State.BOUNCED);
            String rcpt = "user@" + domain(e.getKey());
            Dsn dsn = dsns.stream().map(d -> Dsn.parse(store.messageBytes(d.id())))
                    .filter(d -> d.parts().get(1).body().contains("Final-Recipient: rfc822; " + rcpt + "\r\n"))
                    .findFirst().orElseThrow(() -> new AssertionError("no DSN for " + rcpt));
            assertThat(dsn.header()).contains("multipart/report; report-type=delivery-status");
            assertThat(dsn.parts().get(1).body()).contains("Action: failed").containsPattern("Status: 5\\.7\\.(5|10)");
            for (String code : observable(e.getKey())) {
                assertThat(dsn.parts().get(0).body()).as(e.getKey().profileName()).contains("[" + code + "]");
            }
        }
        List<SessionRecord> sessions = labSessions(ehlo);
        assertThat(sessions).isNotEmpty();
        assertThat(sessions).as("nothing is ever delivered insecurely under bsi")
                .noneMatch(s -> s.verdict() != null && s.verdict().failsTest());
        assertThat(sessions).filteredOn(s -> "good".equals(s.profile()))
                .anyMatch(s -> s.verdict() == dev.doublelock.lab.Verdict.DELIVERED);
        assertThat(sessions).filteredOn(s -> "tls-1.3-only".equals(s.profile()))
                .anyMatch(s -> s.verdict() == dev.doublelock.lab.Verdict.DELIVERED && "TLSv1.3".equals(s.tlsProtocol()));
    }

    @Test
    void bsiRefusesAWeakDheGroup() throws Exception {
        Map<LabProfile, Long> ids = enqueueOneTo(List.copyOf(KEY_EXCHANGE_DEFECTS));
        try (DeliveryWorker w = worker("dhe.relay.test", PolicyMap.defaults(), router(Map.of()))) {
            w.runOnce();
        }
        for (var e : ids.entrySet()) {
            List<Attempt> attempts = store.attempts(e.getValue());
            assertThat(store.find(e.getValue()).orElseThrow().state()).as(e.getKey().profileName()).isEqualTo(State.DEFERRED);
            assertThat(attempts.get(0).outcome()).as(e.getKey().profileName()).isEqualTo("refused");
            assertThat(attempts.get(0).findingCodes()).as(e.getKey().profileName()).containsAll(observable(e.getKey()));
        }
        assertThat(labSessions("dhe.relay.test")).noneMatch(s -> s.verdict() != null && s.verdict().failsTest());
    }

    @Test
    void opportunisticDeliversToEveryProfile() throws Exception {
        Map<LabProfile, Long> ids = enqueueOnePerProfile();
        try (DeliveryWorker w = worker("may.relay.test", new PolicyMap("opportunistic", Map.of(), PolicyMap.Mode.ENFORCE),
                router(Map.of()))) {
            w.runOnce();
        }
        for (var e : ids.entrySet()) {
            assertThat(store.find(e.getValue()).orElseThrow().state()).as(e.getKey().profileName())
                    .isEqualTo(State.DELIVERED);
        }
        for (LabProfile p : List.of(LabProfile.DHE_1024, LabProfile.CBC_SHA1, LabProfile.TLS_1_3_ONLY)) {
            assertThat(store.attempts(ids.get(p)).get(0).tlsProtocol()).as("%s is delivered encrypted under may", p)
                    .isEqualTo(p.tls().versions().getFirst().javaName());
        }
        Attempt plain = store.attempts(ids.get(LabProfile.NO_STARTTLS)).get(0);
        assertThat(plain.tlsProtocol()).isNull();
        assertThat(store.attempts(ids.get(LabProfile.RSA_1024)).get(0).tlsProtocol())
                .as("a PKIX-valid chain with a weak key is still encrypted under may").isNotNull();
        assertEncryptedWhereverTlsCanBeSpoken(ids, "may.relay.test");
        assertThat(store.attempts(ids.get(LabProfile.SELF_SIGNED)).get(0).policyVerdict()).contains("unverified TLS");
        assertThat(store.attempts(ids.get(LabProfile.SELF_SIGNED)).get(0).findingCodes()).contains("UNKNOWN_ISSUER");
        assertThat(store.attempts(ids.get(LabProfile.TLS_1_0_ONLY)).get(0).tlsProtocol()).isEqualTo("TLSv1");
    }

    /**
     * Every profile that offers STARTTLS and completes a handshake got the message over TLS, and the lab's own
     * verdicts never show PLAINTEXT_FALLBACK for them (only starttls-broken, which answers STARTTLS with 454, and
     * no-starttls get plaintext).
     */
    void assertEncryptedWhereverTlsCanBeSpoken(Map<LabProfile, Long> ids, String ehlo) throws Exception {
        Set<LabProfile> plaintextOnly = Set.of(LabProfile.NO_STARTTLS, LabProfile.STARTTLS_BROKEN);
        for (var e : ids.entrySet()) {
            if (plaintextOnly.contains(e.getKey())) continue;
            List<Attempt> attempts = store.attempts(e.getValue());
            assertThat(attempts).as(e.getKey().profileName()).isNotEmpty();
            assertThat(attempts.get(attempts.size() - 1).tlsProtocol()).as(e.getKey().profileName() + " encrypted")
                    .isNotNull();
        }
        List<SessionRecord> sessions = labSessions(ehlo);
        for (LabProfile p : ids.keySet()) {
            if (plaintextOnly.contains(p)) continue;
            assertThat(sessions).filteredOn(s -> p.profileName().equals(s.profile())).as(p.profileName())
                    .isNotEmpty()
                    .noneMatch(s -> s.verdict() == dev.doublelock.lab.Verdict.PLAINTEXT_FALLBACK
                            || s.verdict() == dev.doublelock.lab.Verdict.NO_TLS_DELIVERED);
        }
    }

    @Test
    void testingModeEncryptsToEveryProfileThatSpeaksTls() throws Exception {
        Map<LabProfile, Long> ids = enqueueOnePerProfile();
        try (DeliveryWorker w = worker("testing-all.relay.test", PolicyMap.defaults().withMode(PolicyMap.Mode.TESTING),
                router(Map.of()))) {
            w.runOnce();
            assertThat(w.metrics().plaintextFallbacks()).as("only starttls-broken: it refuses STARTTLS").isEqualTo(1);
            assertThat(w.metrics().legacyTls()).as("tls-1.0-only, tls-1.1-only, no-pfs, shame").isEqualTo(4);
            assertThat(w.metrics().wouldRefuseByFinding()).containsKeys("UNKNOWN_ISSUER", "EXPIRED_CERTIFICATE",
                    "PROTOCOL_NOT_RECOMMENDED", "CIPHER_NOT_RECOMMENDED");
        }
        for (var e : ids.entrySet()) {
            assertThat(store.find(e.getValue()).orElseThrow().state()).as(e.getKey().profileName())
                    .isEqualTo(State.DELIVERED);
        }
        assertEncryptedWhereverTlsCanBeSpoken(ids, "testing-all.relay.test");
    }

    @Test
    void opportunisticEncryptsToCertificateDefectsToo() throws Exception {
        List<LabProfile> certificateDefects = List.of(LabProfile.CN_ONLY, LabProfile.WILDCARD_TOO_DEEP, LabProfile.MD5_SIGNATURE);
        Map<LabProfile, Long> ids = enqueueOneTo(certificateDefects);
        try (DeliveryWorker w = worker("may-tls.relay.test", new PolicyMap("opportunistic", Map.of(), PolicyMap.Mode.ENFORCE),
                router(Map.of()))) {
            w.runOnce();
        }
        for (LabProfile p : certificateDefects) {
            assertThat(store.find(ids.get(p)).orElseThrow().state()).as(p.profileName()).isEqualTo(State.DELIVERED);
            assertThat(store.attempts(ids.get(p)).get(0).tlsProtocol()).as("%s is delivered encrypted under may", p)
                    .isEqualTo("TLSv1.3");
        }
    }

    /**
     * cn-only and wildcard-too-deep tested by name, as a sender that routes to the MX host name sees them (the
     * all-profiles test dials 127.0.0.1, which neither certificate names, so it cannot tell a CN fallback or a
     * lax wildcard from a correct matcher). A loopback DNS server answers for a signed zone {@code localhost}; the
     * controls (good by name; the wildcard one label below it) must be delivered, so a refusal means the
     * matcher, not the route.
     */
    @Test
    void bsiRefusesCnOnlyAndTheTooDeepWildcardByNameButDeliversOneLabelBelowTheWildcard() throws Exception {
        dev.doublelock.dns.TestZones names = new dev.doublelock.dns.TestZones("localhost").a("@", "127.0.0.1")
                .a("a.b.deep", "127.0.0.1").a("x.deep", "127.0.0.1");
        dev.doublelock.dns.TestZoneSigner.SignedZone signed = names.sign();
        try (dev.doublelock.dns.TestDnsServer dns = new dev.doublelock.dns.TestDnsServer()
                .add(dev.doublelock.dns.TestZones.zone(signed))) {
            dev.doublelock.dns.MailResolver resolver = dev.doublelock.dns.DnsjavaResolver.builder().server(dns.address())
                    .trustAnchors(signed.anchor()).timeout(Duration.ofMillis(500)).build();
            String wildcardRef = LabProfile.WILDCARD_TOO_DEEP.referenceName("localhost");
            assertThat(wildcardRef).isEqualTo("a.b.deep.localhost");
            Map<String, List<String>> routes = Map.of(
                    "good.names.test", List.of("localhost:" + lab.port("good")),
                    "cn-only.names.test", List.of(LabProfile.CN_ONLY.referenceName("localhost") + ":" + lab.port("cn-only")),
                    "wildcard-too-deep.names.test", List.of(wildcardRef + ":" + lab.port("wildcard-too-deep")),
                    "one-label.names.test", List.of("x.deep.localhost:" + lab.port("wildcard-too-deep")));
            Map<String, Long> ids = new LinkedHashMap<>();
            for (String d : routes.keySet()) {
                ids.put(d, store.enqueue(new Envelope("alice@example.org", List.of("user@" + d)), MESSAGE));
            }
            try (DeliveryWorker w = worker("names.relay.test", PolicyMap.defaults(), new Router(Optional.of(resolver), routes))) {
                w.runOnce();
            }
            for (String d : List.of("good.names.test", "one-label.names.test")) {
                assertThat(store.find(ids.get(d)).orElseThrow().state()).as(d + ": " + store.find(ids.get(d)).orElseThrow().reason())
                        .isEqualTo(State.DELIVERED);
            }
            for (String d : List.of("cn-only.names.test", "wildcard-too-deep.names.test")) {
                List<Attempt> attempts = store.attempts(ids.get(d));
                assertThat(store.find(ids.get(d)).orElseThrow().state()).as(d).isEqualTo(State.DEFERRED);
                assertThat(attempts.get(0).outcome()).as(d).isEqualTo("refused");
                assertThat(attempts.get(0).findingCodes()).as(d).containsExactly("BAD_CERT_DOMAIN");
            }
        }
        // the lab counts the control (x.deep.localhost on the wildcard-too-deep port) as a delivery to a defect profile
        assertThat(labSessions("names.relay.test")).filteredOn(s -> !s.rcptTo().contains("user@one-label.names.test"))
                .hasSize(3).noneMatch(s -> s.verdict() != null && s.verdict().failsTest());
    }

    @Test
    void aDomainWhoseFirstHopIsExpiredGetsItsMailThroughTheSecond() throws Exception {
        Router r = router(Map.of("two.lab.test", List.of("127.0.0.1:" + lab.port("expired"), "127.0.0.1:" + lab.port("good"))));
        long id = store.enqueue(new Envelope("alice@example.org", List.of("user@two.lab.test")), MESSAGE);
        try (DeliveryWorker w = worker("two.relay.test", PolicyMap.defaults(), r)) {
            w.runOnce();
        }
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        List<Attempt> attempts = store.attempts(id);
        assertThat(attempts).extracting(Attempt::outcome).containsExactly("refused", "delivered");
        assertThat(attempts.get(0).findingCodes()).contains("EXPIRED_CERTIFICATE");
        assertThat(labSessions("two.relay.test")).noneMatch(s -> s.verdict() != null && s.verdict().failsTest());
    }

    @Test
    void testingModeDeliversButLogsEverySessionThePolicyWouldHaveRefused() throws Exception {
        long expired = store.enqueue(new Envelope("alice@example.org", List.of("user@expired.lab.test")), MESSAGE);
        long weak = store.enqueue(new Envelope("alice@example.org", List.of("user@rsa-1024.lab.test")), MESSAGE);
        long good = store.enqueue(new Envelope("alice@example.org", List.of("user@good.lab.test")), MESSAGE);
        try (DeliveryWorker w = worker("testing.relay.test", PolicyMap.defaults().withMode(PolicyMap.Mode.TESTING),
                router(Map.of()))) {
            w.runOnce();
            assertThat(w.metrics().wouldRefuseByFinding()).containsKeys("EXPIRED_CERTIFICATE", "WEAK_KEY");
            assertThat(w.metrics().refusalsByFinding()).isEmpty();
            assertThat(w.metrics().prometheusText()).contains("doublelock_policy_would_refuse_total{finding=\"WEAK_KEY\"} 1");
        }
        for (long id : List.of(expired, weak, good)) {
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        }
        assertThat(store.attempts(weak).get(0).policyVerdict()).contains("NON_COMPLIANT").contains("testing");
        ObjectMapper json = new ObjectMapper();
        Map<Long, JsonNode> byId = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("delivery.jsonl"))) {
            JsonNode n = json.readTree(line);
            byId.put(n.get("queue_id").asLong(), n);
        }
        assertThat(byId.get(expired).get("would_refuse").asBoolean()).isTrue();
        // issue 9 item 7: an expired certificate no longer means plaintext; unauthenticated TLS instead
        assertThat(byId.get(expired).get("plaintext_fallback").asBoolean()).isFalse();
        assertThat(byId.get(expired).get("tls_protocol").isNull()).isFalse();
        assertThat(store.attempts(expired).get(0).policyVerdict()).contains("unverified TLS");
        assertThat(byId.get(weak).get("would_refuse").asBoolean()).isTrue();
        assertThat(byId.get(weak).get("mode").asText()).isEqualTo("testing");
        assertThat(byId.get(good).get("would_refuse").asBoolean()).isFalse();
    }

    static List<SessionRecord> labSessions(String ehlo) throws InterruptedException {
        Thread.sleep(300); // the lab writes its record when the session closes
        try (RecordStore records = RecordStore.openDefault(lab.dataDir())) {
            return records.all(0).stream().filter(s -> ehlo.equals(s.ehloName())).toList();
        }
    }
}
