package dev.doublelock.lab;

import dev.doublelock.dns.server.ServedZone;
import dev.doublelock.dns.server.ZoneBuilder;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which profile a server name selects on the SNI listener, and the address records that send senders there. */
class SniProfilesTest {
    static final Name ZONE = Name.fromConstantString("lab.example.org.");
    final SniProfiles sni = SniProfiles.of(ZONE);

    @Test
    void aProfilesMxHostOrDomainSelectsItWhenItsDefectComesWithTls() {
        assertThat(sni.select(Optional.of("expired.lab.example.org"))).isEqualTo(LabProfile.EXPIRED);
        assertThat(sni.select(Optional.of("EXPIRED.Lab.Example.Org."))).isEqualTo(LabProfile.EXPIRED);
        assertThat(sni.select(Optional.of("tls-1-0-only.lab.example.org"))).isEqualTo(LabProfile.TLS_1_0_ONLY);
        assertThat(sni.select(Optional.of("a.b.deep.wildcard-too-deep.lab.example.org"))).isEqualTo(LabProfile.WILDCARD_TOO_DEEP);
        assertThat(sni.select(Optional.of("wildcard-too-deep.lab.example.org"))).isEqualTo(LabProfile.WILDCARD_TOO_DEEP);
        assertThat(sni.select(Optional.of("shame.lab.example.org"))).isEqualTo(LabProfile.SHAME);
        assertThat(sni.select(Optional.of("good.lab.example.org"))).isEqualTo(LabProfile.GOOD);
    }

    @Test
    void noNameAnotherNameOrADefectBeforeTlsIsGood() {
        assertThat(sni.select(Optional.empty())).isEqualTo(LabProfile.GOOD);
        assertThat(sni.select(Optional.of("mx.example.org"))).isEqualTo(LabProfile.GOOD);
        assertThat(sni.select(Optional.of("expired.lab.test"))).as("another zone").isEqualTo(LabProfile.GOOD);
        for (LabProfile p : List.of(LabProfile.NO_STARTTLS, LabProfile.STARTTLS_BROKEN, LabProfile.STARTTLS_INJECTION,
                LabProfile.RESPONSE_INJECTION)) {
            assertThat(SniProfiles.selectable(p)).as(p.profileName()).isFalse();
            assertThat(sni.select(Optional.of(LabZone.mxHost(p, ZONE).toString()))).isEqualTo(LabProfile.GOOD);
        }
        // nor the DANE scenarios: their TLSA records name their own endpoint's port and certificate
        long dane = java.util.Arrays.stream(LabProfile.values()).filter(p -> p.dane().isPresent()).count();
        assertThat(dane).isEqualTo(9);
        assertThat(SniProfiles.selectable()).contains(LabProfile.GOOD, LabProfile.SELF_SIGNED, LabProfile.DHE_1024)
                .doesNotContain(LabProfile.valueOf("DANE_EE")).hasSize(LabProfile.values().length - 4 - (int) dane);
    }

    @Test
    void theSniAddressGoesToSelectableProfilesWithoutAnAddressOfItsFamily() throws Exception {
        Ipv6Plan plan = Ipv6Plan.parse("2001:db8:1:2::/64");
        Map<LabProfile, InetAddress> own = new EnumMap<>(LabProfile.class);
        for (LabProfile p : LabProfile.values()) own.put(p, plan.address(p));
        own.put(LabProfile.SHAME, InetAddress.getByName("192.0.2.15")); // moved to an IPv4 of its own
        ZoneBuilder builder = LabZone.builder(ZONE, List.of(InetAddress.getByName("203.0.113.10")), own);
        ServedZone zone = ServedZone.unsigned(SniProfiles.addAddresses(builder, InetAddress.getByName("203.0.113.10"), own).build());

        assertThat(rdata(zone, "good.lab.example.org.", Type.A)).containsExactly("203.0.113.10");
        assertThat(rdata(zone, "good.lab.example.org.", Type.AAAA)).containsExactly("2001:db8:1:2:0:0:0:1");
        assertThat(rdata(zone, "a.b.deep.wildcard-too-deep.lab.example.org.", Type.A)).containsExactly("203.0.113.10");
        assertThat(rdata(zone, "shame.lab.example.org.", Type.A)).containsExactly("192.0.2.15");
        assertThat(rdata(zone, "no-starttls.lab.example.org.", Type.A)).as("only its own IPv6 tests it").isEmpty();
        assertThat(rdata(zone, "no-starttls.lab.example.org.", Type.AAAA)).hasSize(1);
        assertThat(rdata(zone, "starttls-response-injection.lab.example.org.", Type.A)).isEmpty();
    }

    private static List<String> rdata(ServedZone zone, String name, int type) {
        return zone.lookup(Name.fromConstantString(name), type).answer().stream()
                .flatMap(set -> set.rrs(false).stream()).map(Record::rdataToString).toList();
    }
}
