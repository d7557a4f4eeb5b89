package dev.doublelock.dns.server;

import dev.doublelock.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signing, re-signing before expiry, and keys kept across restarts. */
class LiveZoneTest {
    static final Name ZONE = ZoneBuilder.zoneName("lab.test");

    static ZoneContent content() throws Exception {
        ZoneBuilder b = ZoneBuilder.forZone(ZONE).nameServer(Name.fromConstantString("ns.lab.test."),
                List.of(InetAddress.getByName("127.0.0.1")));
        return b.mx(b.name("good"), 10, b.name("good")).address(b.name("good"), InetAddress.getByName("127.0.0.1")).build();
    }

    @Test
    void everyRrsetIsSignedTheKeySetByTheKskTheRestByTheZsk() throws Exception {
        ZoneKeys keys = ZoneKeys.generate();
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        ServedZone z = ZoneSigner.sign(content(), keys, now, Duration.ofDays(14));
        assertThat(z.rrsets()).allSatisfy(set -> assertThat(set.sigs()).as(set.getName() + "/" + Type.string(set.getType())).hasSize(1));
        RRset dnskey = z.rrset(ZONE, Type.DNSKEY).orElseThrow();
        assertThat(dnskey.size()).isEqualTo(2);
        assertThat(dnskey.sigs().get(0).getFootprint()).isEqualTo(keys.kskRecord(ZONE, 300).getFootprint());
        DNSSEC.verify(dnskey, dnskey.sigs().get(0), keys.kskRecord(ZONE, 300), now);
        RRset mx = z.rrset(Name.fromConstantString("good.lab.test."), Type.MX).orElseThrow();
        assertThat(mx.sigs().get(0).getFootprint()).isEqualTo(keys.zskRecord(ZONE, 300).getFootprint());
        DNSSEC.verify(mx, mx.sigs().get(0), keys.zskRecord(ZONE, 300), now);
        assertThat(((SOARecord) z.rrset(ZONE, Type.SOA).orElseThrow().first()).getSerial()).isEqualTo(now.getEpochSecond());
        assertThat(z.ds().orElseThrow().getAlgorithm()).isEqualTo(DNSSEC.Algorithm.ECDSAP256SHA256);
        assertThat(z.ds().orElseThrow().getDigestID()).isEqualTo(2);
        assertThat(keys.kskRecord(ZONE, 300).getFlags()).isEqualTo(257);
        assertThat(keys.zskRecord(ZONE, 300).getFlags()).isEqualTo(256);
    }

    @Test
    void theZoneIsSignedAgainBeforeItsSignaturesExpire() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
        LiveZone live = LiveZone.signed(content(), ZoneKeys.generate(), clock, Duration.ofDays(14), Duration.ofDays(7));
        ServedZone first = live.get();
        assertThat(first.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        clock.advance(Duration.ofDays(6));
        assertThat(live.get()).as("8 days left: not yet").isSameAs(first);
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        ServedZone second = live.get();
        assertThat(second).isNotSameAs(first);
        assertThat(live.signings()).isEqualTo(2);
        RRSIGRecord sig = second.rrset(ZONE, Type.SOA).orElseThrow().sigs().get(0);
        assertThat(sig.getExpire()).isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        assertThat(((SOARecord) second.rrset(ZONE, Type.SOA).orElseThrow().first()).getSerial())
                .isGreaterThan(((SOARecord) first.rrset(ZONE, Type.SOA).orElseThrow().first()).getSerial());
        assertThat(second.ds()).isEqualTo(first.ds());
    }

    @Test
    void keysAreMadeOnceAndReusedFromTheDirectory(@TempDir Path dir) throws Exception {
        ZoneKeys first = ZoneKeys.loadOrCreate(dir.resolve("dns"));
        ZoneKeys again = ZoneKeys.loadOrCreate(dir.resolve("dns"));
        assertThat(again.ds(ZONE, 3600).rdataToString()).isEqualTo(first.ds(ZONE, 3600).rdataToString());
        assertThat(again.zskRecord(ZONE, 300).getFootprint()).isEqualTo(first.zskRecord(ZONE, 300).getFootprint());
        assertThat(Files.getPosixFilePermissions(dir.resolve("dns/ksk.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        // a zone signed by the reloaded keys verifies under the first keys' DNSKEY
        Instant now = Instant.now();
        RRset mx = ZoneSigner.sign(content(), again, now, Duration.ofDays(1))
                .rrset(Name.fromConstantString("good.lab.test."), Type.MX).orElseThrow();
        DNSSEC.verify(mx, mx.sigs().get(0), first.zskRecord(ZONE, 300), now);
        Files.writeString(dir.resolve("dns/zsk.pem"), "garbage");
        assertThatThrownBy(() -> ZoneKeys.loadOrCreate(dir.resolve("dns"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zsk.pem");
    }

    @Test
    void theBuilderRefusesRecordsOutsideTheZoneAndCnamesBesideData() throws Exception {
        ZoneBuilder b = ZoneBuilder.forZone(ZONE);
        assertThatThrownBy(() -> b.mx(Name.fromConstantString("example.com."), 10, ZONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the zone");
        b.address(b.name("www"), InetAddress.getByName("127.0.0.1"));
        assertThatThrownBy(() -> b.cname(b.name("www"), b.name("good"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.address(b.name("any"), InetAddress.getByName("0.0.0.0")))
                .hasMessageContaining("wildcard address");
        assertThatThrownBy(() -> ZoneBuilder.zoneName(".")).isInstanceOf(IllegalArgumentException.class);
    }
}
