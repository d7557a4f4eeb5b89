package dev.doublelock.relay.delivery;

import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZoneSigner;
import dev.doublelock.dns.TestZones;
import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.dns.TrustAnchors;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DANE (RFC 7672) end to end: an in-process DNSSEC-signed zone "dane.test" whose MX points at 127.0.0.1, TLSA
 * records for the receiver's port, and doublelock's own SMTP server as receiver.
 */
@Timeout(60)
class DaneDeliveryTest {
    static final String MX = "mx.dane.test";

    @TempDir
    Path dir;
    DeliveryFixture fx;
    TestDnsServer dns;
    CapturingServer server;

    @BeforeEach
    void setUp() {
        fx = new DeliveryFixture(dir);
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        if (dns != null) dns.close();
        fx.close();
    }

    /** Signs "dane.test" (MX → mx.dane.test → 127.0.0.1, the given TLSA at the receiver's port) and serves it. */
    MailResolver signedZone(TlsaRecord tlsa, boolean forgeTlsa) {
        TestZones zone = new TestZones("dane.test").mx("@", 10, MX).a("mx", "127.0.0.1")
                .tlsa("_" + server.port() + "._tcp.mx", tlsa);
        TestZoneSigner.SignedZone signed = zone.sign();
        List<Record> records = new ArrayList<>(signed.records());
        if (forgeTlsa) {
            Name owner = zone.n("_" + server.port() + "._tcp.mx");
            records.removeIf(r -> r instanceof TLSARecord && r.getName().equals(owner));
            records.add(new TLSARecord(owner, DClass.IN, 3600, tlsa.usage(), tlsa.selector(), tlsa.matchingType(),
                    new byte[32]));
        }
        return serve(TestZones.zone(new TestZoneSigner.SignedZone(signed.origin(), records, signed.ds())),
                signed.anchor());
    }

    MailResolver serve(org.xbill.DNS.Zone zone, TrustAnchors anchors) {
        try {
            dns = new TestDnsServer().add(zone);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return DnsjavaResolver.builder().server(dns.address()).trustAnchors(anchors).timeout(Duration.ofMillis(500))
                .mxOrder(MxOrder.stable()).build();
    }

    long deliver(MailResolver resolver, PolicyMap policies) {
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@dane.test")), DeliveryFixture.MESSAGE);
        try (DeliveryWorker w = fx.worker(new Router(Optional.of(resolver), Map.of()),
                fx.options(policies).withMxPort(server.port()))) {
            assertThat(w.runOnce()).isEqualTo(1);
        }
        return id;
    }

    static TlsaRecord daneEe(CertifiedKey key) throws Exception {
        return new TlsaRecord(3, 1, 1, DeliveryFixture.spkiSha256(key.leaf()));
    }

    @Test
    void resumedSessionToADaneEeServerIsJudgedByItsTlsaRecordsAgain() throws Exception {
        CertifiedKey self = DeliveryFixture.selfSigned(MX);
        server = new CapturingServer(self);
        MailResolver resolver = signedZone(daneEe(self), false);
        // no connection cache: the second message needs a connection of its own, which resumes the first's session
        try (DeliveryWorker w = fx.worker(new Router(Optional.of(resolver), Map.of()),
                fx.options(PolicyMap.defaults()).withMxPort(server.port()).withConnectionCacheTime(Duration.ZERO))) {
            long first = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@dane.test")),
                    DeliveryFixture.MESSAGE);
            w.runOnce();
            long second = fx.store.enqueue(new Envelope("alice@example.org", List.of("carol@dane.test")),
                    DeliveryFixture.MESSAGE);
            w.runOnce();

            // the resumed session carries the self-signed chain: without the TLSA match it would be UNKNOWN_ISSUER
            assertThat(w.metrics().tlsResumed()).isEqualTo(1);
            assertThat(w.metrics().tlsResumptionsRejected()).isZero();
            assertThat(fx.store.find(first).orElseThrow().state()).isEqualTo(State.DELIVERED);
            assertThat(fx.store.find(second).orElseThrow().state()).isEqualTo(State.DELIVERED);
            assertThat(fx.onlyAttempt(second).policyVerdict()).startsWith("dane: ");
            assertThat(fx.onlyAttempt(second).findingCodes()).doesNotContain("UNKNOWN_ISSUER");
        }
    }

    @Test
    void anMxThatIsASignedAliasIsAuthenticatedByTheTlsaRecordsOfItsTargetWhichIsAlsoTheSni() throws Exception {
        CertifiedKey self = DeliveryFixture.selfSigned("target.dane.test");
        server = new CapturingServer(self);
        TestZones zone = new TestZones("dane.test").mx("@", 10, MX).cname("mx", "target").a("target", "127.0.0.1")
                .tlsa("_" + server.port() + "._tcp.target", daneEe(self));
        TestZoneSigner.SignedZone signed = zone.sign();
        MailResolver resolver = serve(TestZones.zone(signed), signed.anchor());
        try (DeliveryWorker w = fx.worker(new Router(Optional.of(resolver), Map.of()),
                fx.options(PolicyMap.defaults()).withMxPort(server.port()))) {
            long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@dane.test")),
                    DeliveryFixture.MESSAGE);
            w.runOnce();
            assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
            assertThat(fx.onlyAttempt(id).policyVerdict()).startsWith("dane: ");
        }
        assertThat(server.messages).hasSize(1);
        assertThat(server.serverNames).as("SNI = the TLSA base domain (RFC 7672 §8.1)").containsExactly("target.dane.test");
    }

    @Test
    void daneEeMatchDeliversToASelfSignedServerThatPkixWouldRefuse() throws Exception {
        CertifiedKey self = DeliveryFixture.selfSigned(MX);
        server = new CapturingServer(self);
        long id = deliver(signedZone(daneEe(self), false), PolicyMap.defaults());

        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(server.messages).hasSize(1);
        assertThat(server.messages.get(0).receivedOverTls()).isTrue();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("delivered");
        assertThat(a.policyVerdict()).startsWith("dane: ").contains("local policy bsi");
        assertThat(a.findingCodes()).doesNotContain("UNKNOWN_ISSUER", "DANE_TLSA_MISMATCH");
        var report = fx.report("dane.test");
        assertThat(report.at("/policies/0/policy/policy-type").asText()).isEqualTo("tlsa");
        assertThat(report.at("/policies/0/policy/policy-string").toString()).contains("3 1 1");
        assertThat(report.at("/policies/0/summary/total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(report.at("/policies/0/summary/total-failure-session-count").asLong()).isZero();
    }

    @Test
    void withoutDnssecTheSameSelfSignedServerIsRefusedUnderBsi() throws Exception {
        CertifiedKey self = DeliveryFixture.selfSigned(MX);
        server = new CapturingServer(self);
        TestZones zone = new TestZones("dane.test").mx("@", 10, MX).a("mx", "127.0.0.1")
                .tlsa("_" + server.port() + "._tcp.mx", daneEe(self));
        long id = deliver(serve(zone.unsigned(), TrustAnchors.none()), PolicyMap.defaults());

        assertThat(server.messages).as("unsigned TLSA records do not count: bsi decides").isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("refused");
        assertThat(a.policyVerdict()).startsWith("bsi: ");
        assertThat(a.findingCodes()).contains("UNKNOWN_ISSUER").doesNotContain("DANE_TLSA_MISMATCH");
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
    }

    @Test
    void unsignedZoneWithAWrongTlsaRecordIsIgnoredAndTheLocalPolicyDelivers() throws Exception {
        server = new CapturingServer(fx.trustedLeaf(MX));
        TestZones zone = new TestZones("dane.test").mx("@", 10, MX).a("mx", "127.0.0.1")
                .tlsa("_" + server.port() + "._tcp.mx", new TlsaRecord(3, 1, 1, new byte[32]));
        long id = deliver(serve(zone.unsigned(), TrustAnchors.none()), PolicyMap.defaults());

        assertThat(server.messages).hasSize(1);
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.policyVerdict()).startsWith("bsi: ");
        assertThat(a.findingCodes()).doesNotContain("DANE_TLSA_MISMATCH");
    }

    @Test
    void tlsaMismatchIsRefusedAndDeferredNeverPlaintextEvenUnderOpportunistic() throws Exception {
        // a certificate the relay trusts via PKIX, but the TLSA record pins another key: DANE wins
        server = new CapturingServer(fx.trustedLeaf(MX));
        long id = deliver(signedZone(daneEe(DeliveryFixture.selfSigned(MX)), false),
                new PolicyMap("opportunistic", Map.of(), PolicyMap.Mode.ENFORCE));

        assertThat(server.messages).as("no delivery, and no plaintext fallback").isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("refused");
        assertThat(a.policyVerdict()).startsWith("dane: ");
        assertThat(a.findingCodes()).contains("DANE_TLSA_MISMATCH");
        assertThat(a.tlsProtocol()).isNull();
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
        var report = fx.report("dane.test");
        assertThat(report.at("/policies/0/policy/policy-type").asText()).isEqualTo("tlsa");
        assertThat(report.at("/policies/0/summary/total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(report.at("/policies/0/failure-details/0/result-type").asText()).as("RFC 8460 §4.3.2.1")
                .isEqualTo("tlsa-invalid");
        assertThat(report.at("/policies/0/failure-details/0/receiving-mx-hostname").asText()).isEqualTo(MX);
    }

    @Test
    void bogusTlsaIsDnssecBogusTheHostIsNotEvenContactedAndTheMessageWaits() throws Exception {
        CertifiedKey self = DeliveryFixture.selfSigned(MX);
        server = new CapturingServer(self);
        long id = deliver(signedZone(daneEe(self), true), PolicyMap.defaults());

        assertThat(server.messages).isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("refused");
        assertThat(a.findingCodes()).containsExactly("DNSSEC_BOGUS");
        assertThat(a.policyVerdict()).startsWith("dane: ");
        assertThat(a.ip()).isNull();
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
        var report = fx.report("dane.test");
        assertThat(report.at("/policies/0/failure-details/0/result-type").asText()).as("RFC 8460 §4.3.2.1")
                .isEqualTo("dnssec-invalid");
    }

    @Test
    void daneTaMatchDeliversWhenTheLeafNamesTheMxHostAndRefusesAnotherName() throws Exception {
        // the CA is NOT among the relay's anchors: trust comes from the TLSA record alone
        DeliveryFixture other = new DeliveryFixture(dir.resolve("other"));
        try {
            TlsaRecord ta = new TlsaRecord(2, 0, 1, java.security.MessageDigest.getInstance("SHA-256")
                    .digest(other.ca.leaf().getEncoded()));
            server = new CapturingServer(other.trustedLeaf(MX));
            long good = deliver(signedZone(ta, false), PolicyMap.defaults());
            assertThat(server.messages).hasSize(1);
            assertThat(fx.onlyAttempt(good).policyVerdict()).startsWith("dane: ");
            server.close();
            dns.close();

            server = new CapturingServer(other.trustedLeaf("elsewhere.example"));
            long wrongName = deliver(signedZone(ta, false), PolicyMap.defaults());
            assertThat(server.messages).isEmpty();
            Attempt a = fx.onlyAttempt(wrongName);
            assertThat(a.outcome()).isEqualTo("refused");
            assertThat(a.findingCodes()).contains("BAD_CERT_DOMAIN").doesNotContain("UNKNOWN_ISSUER");
        } finally {
            other.close();
        }
    }

    @Test
    void tlsRequiredNoIgnoresTheDomainsDanePolicy() throws Exception {
        // RFC 8689 §4.3: the sender asks that DANE and MTA-STS be ignored; the local policy still verifies
        server = new CapturingServer(fx.trustedLeaf(MX));
        MailResolver resolver = signedZone(daneEe(DeliveryFixture.selfSigned(MX)), false);
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@dane.test")),
                RequireTlsDeliveryTest.TLS_REQUIRED_NO);
        try (DeliveryWorker w = fx.worker(new Router(Optional.of(resolver), Map.of()),
                fx.options(PolicyMap.defaults()).withMxPort(server.port()))) {
            w.runOnce();
        }
        assertThat(server.messages).hasSize(1);
        assertThat(server.messages.get(0).receivedOverTls()).isTrue();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.policyVerdict()).startsWith("bsi: ");
        assertThat(a.findingCodes()).doesNotContain("DANE_TLSA_MISMATCH");
    }
}
