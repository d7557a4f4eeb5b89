package dev.doublelock.lab;

import dev.doublelock.dns.server.ServedZone;
import dev.doublelock.dns.server.ZoneContent;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab zone's names: one mail domain per profile, MX to its reference name, the endpoint's address. */
class LabZoneTest {
    static final Name ZONE = Name.fromConstantString("lab.example.org.");

    @Test
    void everyProfileIsAMailDomainWithItsEndpointsAddress() throws Exception {
        Map<LabProfile, InetAddress> addresses = new EnumMap<>(LabProfile.class);
        addresses.put(LabProfile.GOOD, InetAddress.getByName("192.0.2.10"));
        addresses.put(LabProfile.SHAME, InetAddress.getByName("2001:db8::24"));
        addresses.put(LabProfile.WILDCARD_TOO_DEEP, InetAddress.getByName("192.0.2.28"));
        addresses.put(LabProfile.EXPIRED, InetAddress.getByName("0.0.0.0")); // bound to the wildcard address
        ZoneContent content = LabZone.build(ZONE, List.of(InetAddress.getByName("192.0.2.53")), addresses);
        ServedZone zone = ServedZone.unsigned(content);

        assertThat(rdata(zone, "good.lab.example.org.", Type.MX)).containsExactly("10 good.lab.example.org.");
        assertThat(rdata(zone, "good.lab.example.org.", Type.A)).containsExactly("192.0.2.10");
        assertThat(rdata(zone, "shame.lab.example.org.", Type.AAAA)).containsExactly("2001:db8:0:0:0:0:0:24"); // dnsjava writes AAAA uncompressed
        assertThat(rdata(zone, "tls-1-0-only.lab.example.org.", Type.MX)).containsExactly("10 tls-1-0-only.lab.example.org.");
        assertThat(rdata(zone, "wildcard-too-deep.lab.example.org.", Type.MX))
                .containsExactly("10 a.b.deep.wildcard-too-deep.lab.example.org.");
        assertThat(rdata(zone, "a.b.deep.wildcard-too-deep.lab.example.org.", Type.A)).containsExactly("192.0.2.28");
        assertThat(rdata(zone, "ns.lab.example.org.", Type.A)).containsExactly("192.0.2.53");
        assertThat(rdata(zone, "lab.example.org.", Type.NS)).containsExactly("ns.lab.example.org.");
        // a wildcard-bound profile keeps its MX, without an address nobody could reach
        assertThat(rdata(zone, "expired.lab.example.org.", Type.MX)).hasSize(1);
        assertThat(zone.lookup(Name.fromConstantString("expired.lab.example.org."), Type.A).isNoData()).isTrue();
        assertThat(zone.lookup(Name.fromConstantString("nothing.lab.example.org."), Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(rdata(zone, "_smtp._tls.expired.lab.example.org.", Type.TXT))
                .as("every profile domain asks for TLS reports, to the lab's own inbox")
                .containsExactly("\"v=TLSRPTv1; rua=mailto:tlsrpt@good.lab.example.org\"");
        assertThat(dev.doublelock.policy.mtasts.TlsRptRecord.select(List.of(LabZone.tlsRptRecord(ZONE))))
                .isInstanceOf(dev.doublelock.policy.mtasts.TlsRptRecord.Published.One.class);
        long domains = content.records().stream().filter(r -> r.getType() == Type.MX).count();
        assertThat(domains).as("every profile but dane-insecure, whose MX is in its own child zone")
                .isEqualTo(LabProfile.values().length - 1);
        assertThat(zone.lookup(Name.fromConstantString("dane-insecure.lab.example.org."), Type.MX).isReferral()).isTrue();
    }

    @Test
    void theDaneScenariosPublishTheirTlsaRecordsAtTheEndpointsPortAndTheInsecureOneInAnUnsignedChild() throws Exception {
        dev.doublelock.tls.pki.LabPki pki = dev.doublelock.tls.pki.LabPki.loadOrCreate(
                java.nio.file.Files.createTempDirectory("labzone-pki"), "localhost");
        java.util.Map<LabProfile, LabZone.DaneEndpoint> dane = new java.util.EnumMap<>(LabProfile.class);
        java.util.Map<LabProfile, InetAddress> addresses = new java.util.EnumMap<>(LabProfile.class);
        int port = 2560;
        for (LabProfile p : LabProfile.values()) {
            addresses.put(p, InetAddress.getByName("192.0.2.1"));
            if (p.dane().isPresent()) dane.put(p, new LabZone.DaneEndpoint(port++, pki.certificate(p.certificate()).chain()));
        }
        LabZone.Zones zones = LabZone.build(ZONE, List.of(InetAddress.getByName("192.0.2.53")), addresses, dane);
        ServedZone parent = ServedZone.unsigned(zones.parent());
        java.util.function.Function<LabProfile, String> tlsaAt = p -> LabZone.tlsaName(p, ZONE, dane.get(p).port()).toString();
        byte[] leafSpki = java.security.MessageDigest.getInstance("SHA-256")
                .digest(pki.certificate(dev.doublelock.tls.pki.LabCertificate.SELF_SIGNED).leaf().getPublicKey().getEncoded());
        assertThat(rdata(parent, tlsaAt.apply(LabProfile.DANE_EE), Type.TLSA))
                .containsExactly("3 1 1 " + java.util.HexFormat.of().withUpperCase().formatHex(leafSpki));
        assertThat(rdata(parent, tlsaAt.apply(LabProfile.DANE_TA), Type.TLSA)).singleElement().asString().startsWith("2 1 1 ");
        assertThat(tlsaAt.apply(LabProfile.DANE_TA)).isEqualTo("_" + dane.get(LabProfile.DANE_TA).port() + "._tcp.dane-ta.lab.example.org.");
        assertThat(rdata(parent, tlsaAt.apply(LabProfile.DANE_NOT_MATCHING), Type.TLSA))
                .containsExactly(new org.xbill.DNS.TLSARecord(Name.root, 1, 0, 3, 1, 1, LabZone.matchingNothing().data()).rdataToString());
        assertThat(parent.lookup(Name.fromConstantString(tlsaAt.apply(LabProfile.DANE_SERVFAIL)), Type.TLSA).rcode())
                .isEqualTo(Rcode.SERVFAIL);
        assertThat(parent.faults().signatures()).extracting(f -> f.owner().toString()).containsExactlyInAnyOrder(
                tlsaAt.apply(LabProfile.DANE_BROKEN_RRSIG), tlsaAt.apply(LabProfile.DANE_EXPIRED_RRSIG));
        assertThat(parent.lookup(Name.fromConstantString(tlsaAt.apply(LabProfile.DANE_NO_TLSA)), Type.TLSA).rcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(zones.unsignedChildren()).singleElement().satisfies(c -> {
            assertThat(c.origin().toString()).isEqualTo("dane-insecure.lab.example.org.");
            ServedZone child = ServedZone.unsigned(c);
            assertThat(child.isSigned()).isFalse();
            assertThat(rdata(child, tlsaAt.apply(LabProfile.DANE_INSECURE), Type.TLSA)).hasSize(1);
            assertThat(rdata(child, "dane-insecure.lab.example.org.", Type.MX)).containsExactly("10 dane-insecure.lab.example.org.");
        });
        assertThat(LabZone.daneMxNames(ZONE)).contains("dane-ta.lab.example.org", "dane-no-tlsa.lab.example.org")
                .doesNotContain("dane-ee.lab.example.org", "dane-ta-wrong-name.lab.example.org");
    }

    @Test
    void withThePolicyHostEveryTlsRptRecordNamesTheLabsHttpsEndpointTooChildZoneAndMtaStsDomainsIncluded() throws Exception {
        Map<LabProfile, InetAddress> addresses = new EnumMap<>(LabProfile.class);
        for (LabProfile p : LabProfile.values()) addresses.put(p, InetAddress.getByName("192.0.2.1"));
        java.net.InetSocketAddress policyHost = new java.net.InetSocketAddress(InetAddress.getByName("192.0.2.44"), 8443);
        Map<MtaStsScenario, InetAddress> mx = new EnumMap<>(MtaStsScenario.class);
        for (MtaStsScenario s : MtaStsScenario.values()) mx.put(s, InetAddress.getByName("192.0.2.45"));
        LabZone.Zones zones = LabZone.build(ZONE, List.of(InetAddress.getByName("192.0.2.53")), addresses, Map.of(),
                MtaStsZone.rua(policyHost), b -> MtaStsZone.addTo(b, ZONE, mx, policyHost));
        ServedZone parent = ServedZone.unsigned(zones.parent());
        String both = "\"v=TLSRPTv1; rua=mailto:tlsrpt@good.lab.example.org,https://tlsrpt.lab.example.org:8443/tlsrpt\"";
        assertThat(rdata(parent, "_smtp._tls.good.lab.example.org.", Type.TXT)).containsExactly(both);
        assertThat(rdata(parent, "_smtp._tls.dane-ee.lab.example.org.", Type.TXT)).containsExactly(both);
        for (MtaStsScenario s : MtaStsScenario.values()) {
            assertThat(rdata(parent, LabZone.tlsRptName(s.domain(ZONE)).toString(), Type.TXT)).as(s.toString()).containsExactly(both);
        }
        assertThat(rdata(ServedZone.unsigned(zones.unsignedChildren().getFirst()), "_smtp._tls.dane-insecure.lab.example.org.",
                Type.TXT)).as("the unsigned child zone's too").containsExactly(both);
        assertThat(rdata(parent, "tlsrpt.lab.example.org.", Type.A)).as("the policy host's address").containsExactly("192.0.2.44");
        var published = dev.doublelock.policy.mtasts.TlsRptRecord.select(List.of(both.substring(1, both.length() - 1)));
        assertThat(published).isInstanceOfSatisfying(dev.doublelock.policy.mtasts.TlsRptRecord.Published.One.class, one ->
                assertThat(one.record().rua()).extracting(java.net.URI::toString).containsExactly(
                        "mailto:tlsrpt@good.lab.example.org", "https://tlsrpt.lab.example.org:8443/tlsrpt"));
        assertThat(TlsRptRua.mailAndHttps(443).record(ZONE)).as("no port when it is https's")
                .isEqualTo("v=TLSRPTv1; rua=mailto:tlsrpt@good.lab.example.org,https://tlsrpt.lab.example.org/tlsrpt");
        assertThat(TlsRptRua.mailOnly().record(ZONE)).isEqualTo(LabZone.tlsRptRecord(ZONE));
    }

    private static List<String> rdata(ServedZone zone, String name, int type) {
        return zone.lookup(Name.fromConstantString(name), type).answer().stream()
                .flatMap(set -> set.rrs(false).stream()).map(Record::rdataToString).toList();
    }
}
