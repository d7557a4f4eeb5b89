package dev.doublelock.relay.delivery;

import dev.doublelock.dns.DnssecSupport;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZoneSigner;
import dev.doublelock.dns.TestZones;
import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.State;
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
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery behind a resolver that withholds DNSSEC data: the signed zone "dane.test" (MX → 127.0.0.1, a TLSA record
 * that pins some other key) served through a stripping server. DANE cannot be used, so the host is judged as a
 * non-DANE host by the local policy; the same zone through a server that passes DNSSEC is refused by DANE, and a
 * forged record there is still DNSSEC_BOGUS.
 */
@Timeout(60)
class StrippingResolverDeliveryTest {
    static final String MX = "mx.dane.test";

    @TempDir
    Path dir;
    DeliveryFixture fx;
    TestDnsServer dns;
    CapturingServer server;

    @BeforeEach
    void setUp() throws Exception {
        fx = new DeliveryFixture(dir);
        server = new CapturingServer(fx.trustedLeaf(MX)); // PKIX-valid for the relay
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        if (dns != null) dns.close();
        fx.close();
    }

    /** "dane.test" signed, with a TLSA record for another key (forged after signing if asked), served as asked. */
    MailResolver zone(boolean strip, boolean forgeTlsa) throws Exception {
        TestZones zone = new TestZones("dane.test").mx("@", 10, MX).a("mx", "127.0.0.1")
                .tlsa("_" + server.port() + "._tcp.mx", new TlsaRecord(3, 1, 1,
                        DeliveryFixture.spkiSha256(DeliveryFixture.selfSigned(MX).leaf())));
        TestZoneSigner.SignedZone signed = zone.sign();
        List<Record> records = new ArrayList<>(signed.records());
        if (forgeTlsa) {
            Name owner = zone.n("_" + server.port() + "._tcp.mx");
            records.removeIf(r -> r instanceof TLSARecord && r.getName().equals(owner));
            records.add(new TLSARecord(owner, DClass.IN, 3600, 3, 1, 1, new byte[32]));
        }
        dns = new TestDnsServer().add(TestZones.zone(new TestZoneSigner.SignedZone(signed.origin(), records, signed.ds())));
        if (strip) {
            dns.stripDnssec();
        }
        return DnsjavaResolver.builder().server(dns.address()).trustAnchors(signed.anchor())
                .timeout(Duration.ofMillis(500)).mxOrder(MxOrder.stable()).build();
    }

    long deliver(MailResolver resolver) {
        long id = fx.store.enqueue(new Envelope("alice@example.org", List.of("bob@dane.test")), DeliveryFixture.MESSAGE);
        try (DeliveryWorker w = fx.worker(new Router(Optional.of(resolver), Map.of()),
                fx.options(PolicyMap.defaults()).withMxPort(server.port()))) {
            assertThat(w.runOnce()).isEqualTo(1);
        }
        return id;
    }

    @Test
    void behindAStrippingResolverTheHostIsDeliveredToAsNonDaneUnderTheLocalPolicy() throws Exception {
        long id = deliver(zone(true, false));
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(server.messages).hasSize(1);
        assertThat(server.messages.get(0).receivedOverTls()).isTrue();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.policyVerdict()).startsWith("bsi: ");
        assertThat(a.findingCodes()).doesNotContain("DNSSEC_BOGUS", "DANE_TLSA_MISMATCH");
    }

    @Test
    void behindAStrippingResolverTheLocalPolicyStillRefusesWhatItRefuses() throws Exception {
        server.close();
        server = new CapturingServer(DeliveryFixture.selfSigned(MX)); // no TLSA match counts, no PKIX trust
        long id = deliver(zone(true, false));
        assertThat(server.messages).isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.outcome()).isEqualTo("refused");
        assertThat(a.findingCodes()).contains("UNKNOWN_ISSUER").doesNotContain("DNSSEC_BOGUS");
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
    }

    @Test
    void theSameZoneThroughAResolverThatPassesDnssecIsJudgedByDane() throws Exception {
        long id = deliver(zone(false, false));
        assertThat(server.messages).isEmpty();
        assertThat(fx.onlyAttempt(id).findingCodes()).contains("DANE_TLSA_MISMATCH");
    }

    @Test
    void aBogusAnswerFromAResolverThatPassesDnssecStillMeansDoNotDeliver() throws Exception {
        long id = deliver(zone(false, true));
        assertThat(server.messages).isEmpty();
        Attempt a = fx.onlyAttempt(id);
        assertThat(a.findingCodes()).containsExactly("DNSSEC_BOGUS");
        assertThat(fx.store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
    }

    @Test
    void theWorkerAnnouncesAWithholdingResolverAndCountsItInTheMetrics() throws Exception {
        MailResolver resolver = zone(true, false);
        List<String> notices = new CopyOnWriteArrayList<>();
        try (DeliveryWorker w = fx.worker(new Router(Optional.of(resolver), Map.of()), fx.options(PolicyMap.defaults()))) {
            w.probeResolverDnssec(notices::add).orElseThrow().join();
            assertThat(w.metrics().resolverDnssec()).contains(DnssecSupport.State.WITHHOLDS_DNSSEC);
            assertThat(w.metrics().prometheusText()).contains("doublelock_resolver_dnssec{state=\"withheld\"} 1")
                    .contains("doublelock_resolver_dnssec{state=\"passes\"} 0");
        }
        assertThat(notices).singleElement().asString().contains("withholds DNSSEC")
                .contains("DANE cannot be used; MTA-STS still can").contains("resolver " + dns.address());
    }

    @Test
    void aResolverThatPassesDnssecIsNotAnnounced() throws Exception {
        MailResolver resolver = zone(false, false);
        List<String> notices = new CopyOnWriteArrayList<>();
        try (DeliveryWorker w = fx.worker(new Router(Optional.of(resolver), Map.of()), fx.options(PolicyMap.defaults()))) {
            w.probeResolverDnssec(notices::add).orElseThrow().join();
            assertThat(w.metrics().prometheusText()).contains("doublelock_resolver_dnssec{state=\"passes\"} 1")
                    .contains("doublelock_resolver_dnssec{state=\"withheld\"} 0");
        }
        assertThat(notices).isEmpty();
    }
}
