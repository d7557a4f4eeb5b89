package dev.doublelock.policy.dane;

import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZoneSigner;
import dev.doublelock.dns.TestZones;
import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.dns.TrustAnchors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DANE status from a signed and an unsigned test zone served in-process. */
class DaneLookupTest {
    private static final TlsaRecord EE = new TlsaRecord(3, 1, 1, HexFormat.of().parseHex("11".repeat(32)));
    private static final TlsaRecord PKIX = new TlsaRecord(1, 1, 1, HexFormat.of().parseHex("22".repeat(32)));
    private static TestDnsServer server;
    private static MailResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        TestZones signed = new TestZones("dane.test")
                .a("mx", "192.0.2.1").tlsa("_25._tcp.mx", EE)
                .a("nodane", "192.0.2.2")
                .a("pkix", "192.0.2.3").tlsa("_25._tcp.pkix", PKIX)
                .a("forged", "192.0.2.4").tlsa("_25._tcp.forged", EE)
                .a("failing", "192.0.2.5")
                // RFC 7672 §2.2.2: TLSA at the CNAME-expanded name first, then at the alias
                .cname("alias", "target").a("target", "192.0.2.6").tlsa("_25._tcp.target", EE)
                .cname("alias2", "bare").a("bare", "192.0.2.7").tlsa("_25._tcp.alias2", EE)
                .cname("outside", "mx.plain.test.");
        TestZoneSigner.SignedZone zone = signed.sign();
        List<Record> records = new ArrayList<>(zone.records());
        Name forged = signed.n("_25._tcp.forged");
        records.removeIf(r -> r instanceof TLSARecord && r.getName().equals(forged));
        records.add(new TLSARecord(forged, DClass.IN, 3600, 3, 1, 1, HexFormat.of().parseHex("33".repeat(32))));
        server = new TestDnsServer()
                .add(TestZones.zone(new TestZoneSigner.SignedZone(zone.origin(), records, zone.ds())))
                .add(new TestZones("plain.test").a("mx", "192.0.2.9").tlsa("_25._tcp.mx", EE).unsigned())
                .servFail("_25._tcp.failing.dane.test");
        TrustAnchors anchor = zone.anchor();
        resolver = DnsjavaResolver.builder().server(server.address()).trustAnchors(anchor)
                .timeout(Duration.ofMillis(500)).mxOrder(MxOrder.stable()).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private final DaneLookup dane = new DaneLookup();

    @Test
    void signedUsableRecords() {
        assertThat(dane.lookup(resolver, "mx.dane.test", 25))
                .isEqualTo(new DaneStatus.Records("_25._tcp.mx.dane.test", List.of(EE), true));
    }

    @Test
    void signedButOnlyPkixUsagesIsRecordsWithoutUsable() {
        assertThat(dane.lookup(resolver, "pkix.dane.test.", 25))
                .isEqualTo(new DaneStatus.Records("_25._tcp.pkix.dane.test", List.of(PKIX), false));
    }

    @Test
    void securelyAbsentTlsaIsNone() {
        assertThat(dane.lookup(resolver, "nodane.dane.test", 25)).isInstanceOf(DaneStatus.None.class)
                .extracting(s -> ((DaneStatus.None) s).reason()).asString().contains("securely denied");
    }

    @Test
    void unsignedZoneIsNoneEvenWithTlsaRecords() {
        assertThat(dane.lookup(resolver, "mx.plain.test", 25)).isInstanceOf(DaneStatus.None.class)
                .extracting(s -> ((DaneStatus.None) s).reason()).asString().contains("not DNSSEC-signed");
    }

    @Test
    void forgedTlsaIsBogus() {
        assertThat(dane.lookup(resolver, "forged.dane.test", 25)).isInstanceOf(DaneStatus.Bogus.class);
    }

    @Test
    void failingTlsaLookupIsServFail() {
        assertThat(dane.lookup(resolver, "failing.dane.test", 25)).isInstanceOf(DaneStatus.ServFail.class);
    }

    @Test
    void theResolverFollowsASignedCnameChain() {
        assertThat(resolver.canonicalName("alias.dane.test")).isEqualTo(new Lookup.Found<>("target.dane.test", true));
        assertThat(resolver.canonicalName("mx.dane.test.")).isEqualTo(new Lookup.Found<>("mx.dane.test", true));
        assertThat(resolver.canonicalName("outside.dane.test"))
                .as("a signed alias into an unsigned zone is not authentic as a whole")
                .isEqualTo(new Lookup.Found<>("mx.plain.test", false));
    }

    @Test
    void anAliasUsesTheTlsaRecordsOfItsExpandedName() {
        DaneStatus status = dane.lookup(resolver, "alias.dane.test", 25);
        assertThat(status).isEqualTo(new DaneStatus.Records("_25._tcp.target.dane.test", List.of(EE), true));
        assertThat(((DaneStatus.Records) status).baseDomain()).isEqualTo("target.dane.test");
    }

    @Test
    void anAliasWhoseTargetHasNoTlsaFallsBackToTheAliasName() {
        DaneStatus status = dane.lookup(resolver, "alias2.dane.test", 25);
        assertThat(status).isEqualTo(new DaneStatus.Records("_25._tcp.alias2.dane.test", List.of(EE), true));
        assertThat(((DaneStatus.Records) status).baseDomain()).isEqualTo("alias2.dane.test");
    }

    @Test
    void anAliasIntoAnUnsignedZoneHasNoDane() {
        assertThat(dane.lookup(resolver, "outside.dane.test", 25)).isInstanceOf(DaneStatus.None.class)
                .extracting(s -> ((DaneStatus.None) s).reason()).asString().contains("not DNSSEC-signed");
    }
}
