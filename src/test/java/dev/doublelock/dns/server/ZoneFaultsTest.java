package dev.doublelock.dns.server;

import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.testing.UnboundInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The defects a zone can be served with on purpose (what the lab's DANE scenarios need): a question answered SERVFAIL,
 * an RRSIG corrupted, an RRSIG expired. On the wire, in dnsjava's verification and in a real validating unbound:
 * each broken name is SERVFAIL (bogus) there, and its healthy neighbours still validate.
 */
class ZoneFaultsTest {
    static final Name ZONE = ZoneBuilder.zoneName("faults.test");
    static final TlsaRecord TLSA = new TlsaRecord(3, 1, 1, new byte[32]);
    static final Instant NOW = Instant.now();
    static ZoneKeys keys;
    static ServedZone zone;
    static AuthoritativeServer server;
    static UnboundInstance unbound;

    static Name n(String relative) {
        return Name.fromConstantString(relative + "." + ZONE);
    }

    @BeforeAll
    static void start() throws Exception {
        keys = ZoneKeys.generate();
        ZoneBuilder b = ZoneBuilder.forZone(ZONE).nameServer(n("ns"), List.of(InetAddress.getLoopbackAddress()));
        for (String host : List.of("good", "servfail", "corrupt", "expired")) {
            b.address(n(host), InetAddress.getLoopbackAddress()).tlsa(n("_25._tcp." + host), TLSA);
        }
        b.servFail(n("_25._tcp.servfail"), Type.TLSA)
                .corruptSignature(n("_25._tcp.corrupt"), Type.TLSA)
                .expiredSignature(n("_25._tcp.expired"), Type.TLSA);
        zone = ZoneSigner.sign(b.build(), keys, NOW, Duration.ofDays(14));
        server = AuthoritativeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> zone,
                DnsLimits.defaults());
        if (UnboundInstance.available()) {
            unbound = UnboundInstance.start(ZONE.toString(), zone.ds().orElseThrow().rdataToString(), server.address());
        }
    }

    @AfterAll
    static void stop() {
        if (unbound != null) unbound.close();
        if (server != null) server.close();
    }

    static RRset tlsa(String host) {
        return zone.rrset(n("_25._tcp." + host), Type.TLSA).orElseThrow();
    }

    @Test
    void aCorruptedSignatureDoesNotVerifyAnExpiredOneHasExpiredTheOthersVerify() throws Exception {
        var zsk = keys.zskRecord(ZONE, 300);
        DNSSEC.verify(tlsa("good"), tlsa("good").sigs().get(0), zsk, NOW);
        DNSSEC.verify(tlsa("servfail"), tlsa("servfail").sigs().get(0), zsk, NOW);
        assertThatThrownBy(() -> DNSSEC.verify(tlsa("corrupt"), tlsa("corrupt").sigs().get(0), zsk, NOW))
                .isInstanceOf(DNSSEC.SignatureVerificationException.class);
        assertThatThrownBy(() -> DNSSEC.verify(tlsa("expired"), tlsa("expired").sigs().get(0), zsk, NOW))
                .isInstanceOf(DNSSEC.SignatureExpiredException.class);
        // the expired one is a real signature by the key: valid at a time inside its old window
        DNSSEC.verify(tlsa("expired"), tlsa("expired").sigs().get(0), zsk, NOW.minus(Duration.ofDays(10)));
        assertThat(zone.faults().signatures()).hasSize(2);
    }

    @Test
    void theServFailQuestionIsAnsweredServFailOtherTypesAtTheNameAndOtherNamesAsUsual() throws Exception {
        SimpleResolver r = new SimpleResolver(server.address());
        r.setTimeout(Duration.ofSeconds(3));
        r.setEDNS(0, 1232, ExtendedFlags.DO);
        Message fail = r.send(Message.newQuery(Record.newRecord(n("_25._tcp.servfail"), Type.TLSA, DClass.IN)));
        assertThat(fail.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(fail.getSection(Section.ANSWER)).isEmpty();
        assertThat(fail.getHeader().getFlag(Flags.AA)).isFalse();
        Message other = r.send(Message.newQuery(Record.newRecord(n("_25._tcp.servfail"), Type.TXT, DClass.IN)));
        assertThat(other.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(other.getHeader().getFlag(Flags.AA)).isTrue();
        Message good = r.send(Message.newQuery(Record.newRecord(n("_25._tcp.good"), Type.TLSA, DClass.IN)));
        assertThat(good.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(good.getSection(Section.ANSWER)).hasSize(2); // the TLSA and its RRSIG
    }

    @Test
    void unboundFindsEachBrokenTlsaRrsetBogusOrFailedAndTheGoodOneSecure() throws Exception {
        assumeTrue(unbound != null, "needs Debian's unbound (installed by .ci/run)");
        Message good = unbound.ask("_25._tcp.good." + ZONE, Type.TLSA);
        assertThat(good.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(good.getHeader().getFlag(Flags.AD)).as("validated").isTrue();
        for (String broken : List.of("servfail", "corrupt", "expired")) {
            Message m = unbound.ask("_25._tcp." + broken + "." + ZONE, Type.TLSA);
            assertThat(m.getRcode()).as(broken + ":\n" + unbound.log()).isEqualTo(Rcode.SERVFAIL);
        }
        // the addresses beside the broken TLSA records are unharmed
        Message address = unbound.ask("corrupt." + ZONE, Type.A);
        assertThat(address.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(address.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(unbound.log()).contains("signature expired").containsIgnoringCase("signature crypto failed");
    }
}
