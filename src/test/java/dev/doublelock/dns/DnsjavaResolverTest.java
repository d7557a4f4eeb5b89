package dev.doublelock.dns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DnsjavaResolver against an in-process authoritative server with one signed and one unsigned zone. */
class DnsjavaResolverTest {
    private static final TlsaRecord TLSA = new TlsaRecord(3, 1, 1,
            HexFormat.of().parseHex("8cd2ba0d6bba4e1bc31e4b53e2e0bb0e9f4d45b8d66cf3b0e04f1e1dc9d1a7e2"));
    private static TestDnsServer server;
    private static TrustAnchors anchor;

    @BeforeAll
    static void startServer() throws Exception {
        TestZones plain = new TestZones("plain.test")
                .mx("@", 20, "mx2.plain.test").mx("@", 10, "mx1.plain.test").mx("@", 20, "mx0.plain.test")
                .a("mx1", "192.0.2.1").aaaa("mx1", "2001:db8::1").a("mx2", "192.0.2.2")
                .a("nomx", "192.0.2.3").mx("nullmx", 0, ".").txt("nomx", "v=spf1 ", "-all")
                .tlsa("_25._tcp.mx1", TLSA);
        TestZones signed = new TestZones("signed.test")
                .mx("@", 10, "mx1.signed.test").a("mx1", "192.0.2.11").aaaa("mx1", "2001:db8::11")
                .a("nomx", "192.0.2.12").tlsa("_25._tcp.mx1", TLSA)
                .mx("tampered", 10, "mx1.signed.test");
        TestZoneSigner.SignedZone signedZone = signed.sign();
        anchor = signedZone.anchor();
        List<Record> records = new ArrayList<>(signedZone.records());
        Name tampered = signed.n("tampered");
        records.removeIf(r -> r instanceof MXRecord && r.getName().equals(tampered));
        records.add(new MXRecord(tampered, DClass.IN, 3600, 10, Name.fromConstantString("evil.example.")));
        server = new TestDnsServer().add(plain.unsigned()).add(TestZones.zone(
                new TestZoneSigner.SignedZone(signedZone.origin(), records, signedZone.ds())))
                .servFail("broken.plain.test").silent("slow.plain.test").truncateOverUdp("big.plain.test");
        server.add(new TestZones("trunc.test").txt("big", "x".repeat(200)).unsigned());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static DnsjavaResolver resolver() {
        return DnsjavaResolver.builder().server(server.address()).trustAnchors(anchor)
                .timeout(Duration.ofMillis(500)).mxOrder(MxOrder.stable()).build();
    }

    @Test
    void mxHostsComeInPreferenceOrder() {
        assertThat(resolver().mx("plain.test")).isEqualTo(new Lookup.Found<>(List.of(
                new MxHost("mx1.plain.test", 10, false),
                new MxHost("mx0.plain.test", 20, false),
                new MxHost("mx2.plain.test", 20, false)), false));
    }

    @Test
    void shuffledOrderKeepsPreferenceGroups() {
        DnsjavaResolver r = DnsjavaResolver.builder().server(server.address()).trustAnchors(anchor)
                .mxOrder(new MxOrder.Shuffled(new java.util.Random(7))).build();
        List<MxHost> hosts = ((Lookup.Found<List<MxHost>>) r.mx("plain.test")).value();
        assertThat(hosts.get(0).name()).isEqualTo("mx1.plain.test");
        assertThat(hosts.subList(1, 3)).extracting(MxHost::name).containsExactlyInAnyOrder("mx0.plain.test", "mx2.plain.test");
    }

    @Test
    void noMxMeansTheDomainItselfAsImplicitMx() {
        assertThat(resolver().mx("nomx.plain.test"))
                .isEqualTo(new Lookup.Found<>(List.of(new MxHost("nomx.plain.test", 0, true)), false));
    }

    @Test
    void nullMxIsItsOwnOutcome() {
        assertThat(resolver().mx("nullmx.plain.test")).isEqualTo(new Lookup.NullMx<>(false));
    }

    @Test
    void nxdomainAndNodataDiffer() {
        assertThat(resolver().mx("absent.plain.test")).isEqualTo(new Lookup.NxDomain<>(false));
        assertThat(resolver().txt("mx2.plain.test")).isEqualTo(new Lookup.NoData<>(false));
        assertThat(resolver().tlsa("_25._tcp.mx2.plain.test")).isEqualTo(new Lookup.NxDomain<>(false));
    }

    @Test
    void serverFailureIsServFailNotBogus() {
        assertThat(resolver().mx("broken.plain.test")).isInstanceOf(Lookup.ServFail.class);
    }

    @Test
    void silentServerIsTimeout() {
        DnsjavaResolver r = DnsjavaResolver.builder().server(server.address()).trustAnchors(TrustAnchors.none())
                .timeout(Duration.ofMillis(200)).build();
        assertThat(r.txt("slow.plain.test")).isEqualTo(new Lookup.Timeout<>());
    }

    @Test
    void truncatedUdpAnswerIsRetriedOverTcp() {
        int before = server.tcpQueries();
        server.truncateOverUdp("big.trunc.test");
        assertThat(resolver().txt("big.trunc.test")).isEqualTo(new Lookup.Found<>(List.of("x".repeat(200)), false));
        assertThat(server.tcpQueries()).isGreaterThan(before);
    }

    @Test
    void addressesJoinIpv4AndIpv6() throws Exception {
        assertThat(resolver().addresses("mx1.plain.test")).isEqualTo(new Lookup.Found<>(List.of(
                InetAddress.getByName("192.0.2.1"), InetAddress.getByName("2001:db8::1")), false));
        assertThat(resolver().addresses("mx2.plain.test")).isEqualTo(new Lookup.Found<>(List.of(
                InetAddress.getByName("192.0.2.2")), false));
        assertThat(resolver().addresses("gone.plain.test")).isEqualTo(new Lookup.NxDomain<>(false));
    }

    @Test
    void txtStringsOfOneRecordAreJoined() {
        assertThat(resolver().txt("nomx.plain.test")).isEqualTo(new Lookup.Found<>(List.of("v=spf1 -all"), false));
    }

    @Test
    void tlsaRecordsAreRead() {
        assertThat(resolver().tlsa("_25._tcp.mx1.plain.test")).isEqualTo(new Lookup.Found<>(List.of(TLSA), false));
    }

    @Test
    void signedZoneAnswersAreAuthentic() throws Exception {
        DnsjavaResolver r = resolver();
        assertThat(r.mx("signed.test")).isEqualTo(new Lookup.Found<>(List.of(new MxHost("mx1.signed.test", 10, false)), true));
        assertThat(r.tlsa("_25._tcp.mx1.signed.test")).isEqualTo(new Lookup.Found<>(List.of(TLSA), true));
        assertThat(r.addresses("mx1.signed.test")).isEqualTo(new Lookup.Found<>(List.of(
                InetAddress.getByName("192.0.2.11"), InetAddress.getByName("2001:db8::11")), true));
    }

    @Test
    void signedDenialIsAuthentic() throws Exception {
        DnsjavaResolver r = resolver();
        assertThat(r.tlsa("_25._tcp.nomx.signed.test")).isEqualTo(new Lookup.NxDomain<>(true));
        assertThat(r.txt("mx1.signed.test")).isEqualTo(new Lookup.NoData<>(true));
        assertThat(r.mx("nomx.signed.test")).isEqualTo(new Lookup.Found<>(List.of(new MxHost("nomx.signed.test", 0, true)), true));
        assertThat(r.addresses("nomx.signed.test")).isEqualTo(new Lookup.Found<>(List.of(InetAddress.getByName("192.0.2.12")), true));
    }

    @Test
    void withoutTheAnchorTheSignedZoneIsMerelyInsecure() {
        DnsjavaResolver r = DnsjavaResolver.builder().server(server.address()).trustAnchors(TrustAnchors.none()).build();
        assertThat(r.mx("signed.test").authentic()).isFalse();
        assertThat(r.mx("tampered.signed.test")).isInstanceOf(Lookup.Found.class);
    }

    @Test
    void tamperedRecordIsBogus() {
        Lookup<List<MxHost>> result = resolver().mx("tampered.signed.test");
        assertThat(result).isInstanceOf(Lookup.Bogus.class);
        assertThat(((Lookup.Bogus<List<MxHost>>) result).reason()).contains("tampered.signed.test");
    }

    @Test
    void anchorForAnotherKeyMakesTheZoneBogus() {
        TrustAnchors wrong = new TestZones("signed.test").sign().anchor();
        DnsjavaResolver r = DnsjavaResolver.builder().server(server.address()).trustAnchors(wrong).build();
        assertThat(r.mx("signed.test")).isInstanceOf(Lookup.Bogus.class);
    }

    @Test
    void badResolverAddressSaysHowToWriteIt() {
        assertThatThrownBy(() -> DnsjavaResolver.builder().server("dns.example:53"))
                .hasMessageContaining("IP:PORT");
        assertThatThrownBy(() -> DnsjavaResolver.builder().server("127.0.0.1:99999"))
                .hasMessageContaining("port must be");
    }

    @Test
    void builtInRootAnchorLoads() {
        assertThat(TrustAnchors.ianaRoot().zoneText()).contains("20326 8 2").contains("38696 8 2");
        DnsjavaResolver.builder().server(server.address()).build(); // parses the shipped anchor
    }
}
