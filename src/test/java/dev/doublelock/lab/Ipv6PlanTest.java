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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One /64 for every profile: P::ordinal+1, the AAAA records of the zone, the endpoints the lab binds. */
class Ipv6PlanTest {
    static final Name ZONE = Name.fromConstantString("lab.example.org.");

    @Test
    void eachProfileGetsItsOrdinalPlusOneInThePrefix() throws Exception {
        Ipv6Plan plan = Ipv6Plan.parse("2001:db8:1:2::/64");
        assertThat(plan.address(LabProfile.GOOD)).isEqualTo(InetAddress.getByName("2001:db8:1:2::1"));
        assertThat(plan.address(LabProfile.TLS_1_0_ONLY)).isEqualTo(InetAddress.getByName("2001:db8:1:2::a"));
        assertThat(plan.address(LabProfile.SHAME)).isEqualTo(InetAddress.getByName("2001:db8:1:2::f"));
        assertThat(plan.address(LabProfile.RESPONSE_INJECTION))
                .isEqualTo(InetAddress.getByName("2001:db8:1:2::" + Integer.toHexString(LabProfile.RESPONSE_INJECTION.ordinal() + 1)));
        assertThat(java.util.Arrays.stream(LabProfile.values()).map(plan::address).distinct()).hasSize(LabProfile.values().length);
        assertThat(plan.cidr()).isEqualTo("2001:db8:1:2::/64");
        assertThat(Ipv6Plan.parse("fd00:d1:0:0:0:0:0:0/64").cidr()).isEqualTo("fd00:d1:0:0::/64");
    }

    @Test
    void onlyAZeroHostPartOfASlash64IsAPrefix() {
        assertThatThrownBy(() -> Ipv6Plan.parse("2001:db8:1:2::/48")).hasMessageContaining("/64");
        assertThatThrownBy(() -> Ipv6Plan.parse("2001:db8:1:2::")).hasMessageContaining("/64");
        assertThatThrownBy(() -> Ipv6Plan.parse("2001:db8:1:2::5/64")).hasMessageContaining("not the start of a /64");
        assertThatThrownBy(() -> Ipv6Plan.parse("192.0.2.0/64")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> Ipv6Plan.parse("example.org/64")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> Ipv6Plan.parse("fe80::/64")).hasMessageContaining("global or unique-local");
    }

    @Test
    void endpointsListenOnPort25OfTheirAddressWithCertificatesForTheirDomain() throws Exception {
        Ipv6Plan plan = Ipv6Plan.parse("2001:db8:1:2::/64");
        Map<LabProfile, LabEndpoint> endpoints = plan.endpoints(ZONE, Ipv6Plan.DEFAULT_PORT);
        assertThat(endpoints).hasSize(LabProfile.values().length);
        LabEndpoint shame = endpoints.get(LabProfile.SHAME);
        assertThat(shame.bind().getAddress()).isEqualTo(InetAddress.getByName("2001:db8:1:2::f"));
        assertThat(shame.bind().getPort()).isEqualTo(25);
        assertThat(shame.hostName()).isEqualTo("shame.lab.example.org");
        assertThat(endpoints.get(LabProfile.TLS_1_0_ONLY).hostName()).isEqualTo("tls-1-0-only.lab.example.org");
        // the certificate's reference name is the zone's MX host (wildcard-too-deep: two labels below *.deep.<domain>)
        LabEndpoint deep = endpoints.get(LabProfile.WILDCARD_TOO_DEEP);
        assertThat(LabProfile.WILDCARD_TOO_DEEP.referenceName(deep.hostName()) + ".")
                .isEqualTo(LabZone.mxHost(LabProfile.WILDCARD_TOO_DEEP, ZONE).toString());
        // as overrides of the lab's options, every profile moves there
        LabOptions options = LabOptions.defaults().withOverrides(endpoints);
        assertThat(options.endpoints()).extracting(e -> e.bind().getAddress()).allMatch(a -> a instanceof java.net.Inet6Address);
    }

    @Test
    void theZoneGetsAnAaaaRecordPerProfileDomainAndMxHost() throws Exception {
        Ipv6Plan plan = Ipv6Plan.parse("2001:db8:1:2::/64");
        Map<LabProfile, InetAddress> v4 = new EnumMap<>(LabProfile.class);
        v4.put(LabProfile.GOOD, InetAddress.getByName("192.0.2.10"));
        ZoneBuilder builder = LabZone.builder(ZONE, List.of(InetAddress.getByName("192.0.2.53")), v4);
        ServedZone zone = ServedZone.unsigned(plan.addAddresses(builder).build());

        assertThat(rdata(zone, "good.lab.example.org.", Type.AAAA)).containsExactly("2001:db8:1:2:0:0:0:1");
        assertThat(rdata(zone, "good.lab.example.org.", Type.A)).containsExactly("192.0.2.10");
        assertThat(rdata(zone, "shame.lab.example.org.", Type.AAAA)).containsExactly("2001:db8:1:2:0:0:0:f");
        assertThat(rdata(zone, "shame.lab.example.org.", Type.A)).isEmpty();
        assertThat(rdata(zone, "a.b.deep.wildcard-too-deep.lab.example.org.", Type.AAAA))
                .containsExactly(rdata(zone, "wildcard-too-deep.lab.example.org.", Type.AAAA).get(0));
        for (LabProfile p : LabProfile.values()) {
            if (LabZone.insecureChild(p)) continue; // below a delegation: its records are the child zone's
            assertThat(rdata(zone, LabZone.mxHost(p, ZONE).toString(), Type.AAAA)).as(p.profileName())
                    .containsExactly(plan.address(p).getHostAddress().replaceAll("%.*", ""));
        }
    }

    private static List<String> rdata(ServedZone zone, String name, int type) {
        return zone.lookup(Name.fromConstantString(name), type).answer().stream()
                .flatMap(set -> set.rrs(false).stream()).map(Record::rdataToString).toList();
    }
}
