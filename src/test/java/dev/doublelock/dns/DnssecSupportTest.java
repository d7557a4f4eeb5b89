package dev.doublelock.dns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding out whether a resolver passes DNSSEC data, and what lookups do behind one that withholds it: the same
 * signed zone served as is (signatures with DO) and through a stripping server (no RRSIG/DNSKEY/DS/NSEC, no AD,
 * DO ignored), as many home routers answer.
 */
class DnssecSupportTest {
    private static final TlsaRecord TLSA = new TlsaRecord(3, 1, 1,
            HexFormat.of().parseHex("8cd2ba0d6bba4e1bc31e4b53e2e0bb0e9f4d45b8d66cf3b0e04f1e1dc9d1a7e2"));
    private final List<TestDnsServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(TestDnsServer::close);
    }

    private TestDnsServer server(TestZoneSigner.SignedZone... zones) throws Exception {
        TestDnsServer s = new TestDnsServer();
        for (TestZoneSigner.SignedZone z : zones) {
            s.add(TestZones.zone(z));
        }
        servers.add(s);
        return s;
    }

    private static TestZoneSigner.SignedZone signedTest() {
        return new TestZones("signed.test").mx("@", 10, "mx1.signed.test").a("mx1", "192.0.2.11")
                .tlsa("_25._tcp.mx1", TLSA).sign();
    }

    private static DnsjavaResolver resolver(TestDnsServer s, TrustAnchors anchors) {
        return DnsjavaResolver.builder().server(s.address()).trustAnchors(anchors).timeout(Duration.ofMillis(500))
                .mxOrder(MxOrder.stable()).build();
    }

    @Test
    void aSigningServerPassesDnssec() throws Exception {
        TestZoneSigner.SignedZone zone = signedTest();
        TestDnsServer s = server(zone);
        DnssecSupport support = resolver(s, zone.anchor()).dnssecSupport();
        assertThat(support.state()).as(support.evidence()).isEqualTo(DnssecSupport.State.PASSES_DNSSEC);
        assertThat(support.evidence()).contains("resolver " + s.address()).contains("signed.test. DNSKEY").contains("RRSIG");
    }

    @Test
    void aStrippingServerWithholdsDnssecAndTheEvidenceSaysWhich() throws Exception {
        TestZoneSigner.SignedZone zone = signedTest();
        TestDnsServer s = server(zone).stripDnssec();
        DnssecSupport support = resolver(s, zone.anchor()).dnssecSupport();
        assertThat(support.state()).as(support.evidence()).isEqualTo(DnssecSupport.State.WITHHOLDS_DNSSEC);
        assertThat(support.withheld()).isTrue();
        assertThat(support.evidence()).contains("resolver " + s.address()).contains("no DNSKEY and no RRSIG");
    }

    @Test
    void withTheIanaAnchorTheProbeAsksForTheRootsDnskey() throws Exception {
        // a (test-signed) root zone: the probe looks for signatures, it does not validate them
        TestZoneSigner.SignedZone root = new TestZones(".").sign();
        TestDnsServer passing = server(root, signedTest());
        TestDnsServer stripping = server(root, signedTest()).stripDnssec();
        DnssecSupport passes = resolver(passing, TrustAnchors.ianaRoot()).dnssecSupport();
        DnssecSupport withholds = resolver(stripping, TrustAnchors.ianaRoot()).dnssecSupport();
        assertThat(passes.state()).as(passes.evidence()).isEqualTo(DnssecSupport.State.PASSES_DNSSEC);
        assertThat(passes.evidence()).contains("'. DNSKEY' with the DO bit");
        assertThat(withholds.state()).as(withholds.evidence()).isEqualTo(DnssecSupport.State.WITHHOLDS_DNSSEC);
    }

    @Test
    void aServerThatCannotAnswerTellsNothing() throws Exception {
        TestZoneSigner.SignedZone zone = signedTest();
        TestDnsServer refusing = server(zone); // not authoritative for the root: REFUSED
        DnssecSupport refused = resolver(refusing, TrustAnchors.ianaRoot()).dnssecSupport();
        assertThat(refused.state()).as(refused.evidence()).isEqualTo(DnssecSupport.State.UNKNOWN);
        assertThat(refused.evidence()).contains("REFUSED");

        TestDnsServer silent = server(zone).silent("signed.test");
        DnsjavaResolver r = DnsjavaResolver.builder().server(silent.address()).trustAnchors(zone.anchor())
                .timeout(Duration.ofMillis(200)).build();
        long start = System.nanoTime();
        DnssecSupport timedOut = r.dnssecSupport();
        assertThat(timedOut.state()).isEqualTo(DnssecSupport.State.UNKNOWN);
        assertThat(timedOut.evidence()).contains("did not answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theResultIsCachedPerResolver() throws Exception {
        TestZoneSigner.SignedZone zone = signedTest();
        TestDnsServer s = server(zone).stripDnssec();
        DnsjavaResolver r = resolver(s, zone.anchor());
        DnssecSupport first = r.dnssecSupport();
        int asked = s.queries();
        assertThat(r.dnssecSupport()).isEqualTo(first);
        assertThat(s.queries()).as("no second probe").isEqualTo(asked);
        resolver(s, zone.anchor()).dnssecSupport();
        assertThat(s.queries()).as("another resolver probes for itself").isEqualTo(asked + 1);
    }

    @Test
    void behindAStrippingServerSignedAnswersAreNotValidatedRatherThanBogus() throws Exception {
        TestZoneSigner.SignedZone zone = signedTest();
        TestDnsServer s = server(zone).stripDnssec();
        DnsjavaResolver r = resolver(s, zone.anchor());
        assertThat(r.mx("signed.test")).isEqualTo(new Lookup.Found<>(List.of(new MxHost("mx1.signed.test", 10, false)), false));
        assertThat(r.addresses("mx1.signed.test"))
                .isEqualTo(new Lookup.Found<>(List.of(InetAddress.getByName("192.0.2.11")), false));
        assertThat(r.tlsa("_25._tcp.mx1.signed.test")).isEqualTo(new Lookup.Found<>(List.of(TLSA), false));
        assertThat(r.tlsa("_25._tcp.absent.signed.test")).isEqualTo(new Lookup.NxDomain<>(false));
        assertThat(r.txt("mx1.signed.test")).isEqualTo(new Lookup.NoData<>(false));
        assertThat(r.dnssecSupport().withheld()).isTrue();
    }

    @Test
    void behindAPassingServerTheSameAnswersAreAuthentic() throws Exception {
        TestZoneSigner.SignedZone zone = signedTest();
        DnsjavaResolver r = resolver(server(zone), zone.anchor());
        assertThat(r.mx("signed.test")).isEqualTo(new Lookup.Found<>(List.of(new MxHost("mx1.signed.test", 10, false)), true));
        assertThat(r.tlsa("_25._tcp.mx1.signed.test")).isEqualTo(new Lookup.Found<>(List.of(TLSA), true));
    }

    @Test
    void aWrongAnchorBehindAPassingServerIsStillBogus() throws Exception {
        TestDnsServer s = server(signedTest());
        DnsjavaResolver r = resolver(s, signedTest().anchor()); // same name, another key
        assertThat(r.dnssecSupport().state()).isEqualTo(DnssecSupport.State.PASSES_DNSSEC);
        assertThat(r.mx("signed.test")).isInstanceOf(Lookup.Bogus.class);
    }

    // the judgement of one answer, for answers the test server does not give

    private static final Name ROOT = Name.root;

    private static Message answer(int rcode, boolean withOpt, Record... answers) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(ROOT, Type.DNSKEY, DClass.IN), Section.QUESTION);
        for (Record r : answers) {
            m.addRecord(r, Section.ANSWER);
        }
        if (withOpt) {
            m.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        }
        return m;
    }

    @Test
    void keysWithoutSignaturesAreWithheld() {
        Record key = new TestZones(".").sign().records().stream().filter(r -> r instanceof DNSKEYRecord)
                .findFirst().orElseThrow();
        DnssecSupport s = DnssecProbe.classify(answer(Rcode.NOERROR, true, key), ROOT, "resolver 192.0.2.53:53");
        assertThat(s.state()).isEqualTo(DnssecSupport.State.WITHHOLDS_DNSSEC);
        assertThat(s.evidence()).contains("1 DNSKEY record(s)").contains("no RRSIG");
    }

    @Test
    void noEdnsOrAFormatErrorMeansNoDnssec() {
        assertThat(DnssecProbe.classify(answer(Rcode.NOERROR, false), ROOT, "r").state())
                .isEqualTo(DnssecSupport.State.WITHHOLDS_DNSSEC);
        assertThat(DnssecProbe.classify(answer(Rcode.FORMERR, false), ROOT, "r").state())
                .isEqualTo(DnssecSupport.State.WITHHOLDS_DNSSEC);
        assertThat(DnssecProbe.classify(answer(Rcode.SERVFAIL, true), ROOT, "r").state())
                .isEqualTo(DnssecSupport.State.UNKNOWN);
    }
}
