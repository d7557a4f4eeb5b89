package dev.doublelock.dns.server;

import dev.doublelock.testing.UnboundInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Delegations, as the DANE scenarios will need them: a signed parent delegating to a signed child (DS published),
 * to an unsigned child (no DS: insecure) and to a child whose DS does not match its key (bogus), all served by one
 * server, checked by dnsjava on the wire and by a real validating unbound.
 */
class DelegationTest {
    static final Name PARENT = ZoneBuilder.zoneName("deleg.test");
    static final Name NS = Name.fromConstantString("ns.deleg.test.");
    static AuthoritativeServer server;
    static UnboundInstance unbound;
    static ServedZone parent;

    static ServedZone child(String name, Optional<ZoneKeys> keys, String address) throws IOException {
        ZoneBuilder b = ZoneBuilder.forZone(ZoneBuilder.zoneName(name)).nameServer(NS, List.of());
        ZoneContent c = b.address(b.name("www"), InetAddress.getByName(address)).build();
        return keys.map(k -> ZoneSigner.sign(c, k, Instant.now(), Duration.ofDays(2))).orElseGet(() -> ServedZone.unsigned(c));
    }

    @BeforeAll
    static void start() throws Exception {
        ZoneKeys secureKeys = ZoneKeys.generate();
        ServedZone secure = child("secure.deleg.test", Optional.of(secureKeys), "127.0.0.4");
        ServedZone insecure = child("insecure.deleg.test", Optional.empty(), "127.0.0.5");
        ServedZone broken = child("broken.deleg.test", Optional.of(ZoneKeys.generate()), "127.0.0.6");
        DSRecord wrong = ZoneKeys.generate().ds(ZoneBuilder.zoneName("broken.deleg.test"), 300);
        List<InetAddress> glue = List.of(InetAddress.getLoopbackAddress());
        ZoneBuilder p = ZoneBuilder.forZone(PARENT).nameServer(NS, glue)
                .delegation(secure.origin(), NS, glue, secure.ds())
                .delegation(insecure.origin(), NS, glue, Optional.empty())
                .delegation(broken.origin(), NS, glue, Optional.of(wrong));
        parent = ZoneSigner.sign(p.build(), ZoneKeys.generate(), Instant.now(), Duration.ofDays(2));
        List<Supplier<ServedZone>> zones = List.of(() -> parent, () -> secure, () -> insecure, () -> broken);
        server = AuthoritativeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), zones,
                DnsLimits.defaults());
        if (UnboundInstance.available()) {
            unbound = UnboundInstance.start(PARENT.toString(), parent.ds().orElseThrow().rdataToString(), server.address(),
                    List.of("secure.deleg.test.", "insecure.deleg.test.", "broken.deleg.test."));
        }
    }

    @AfterAll
    static void stop() {
        if (unbound != null) unbound.close();
        if (server != null) server.close();
    }

    @Test
    void theParentRefersWithTheDsOrTheNsecThatProvesThereIsNone() throws Exception {
        try (AuthoritativeServer parentOnly = AuthoritativeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> parent, DnsLimits.defaults())) {
            Message insecure = ask(parentOnly, "www.insecure.deleg.test.", Type.A);
            assertThat(insecure.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(insecure.getHeader().getFlag(Flags.AA)).as("a referral is not authoritative").isFalse();
            assertThat(insecure.getSection(Section.ANSWER)).isEmpty();
            assertThat(insecure.getSection(Section.AUTHORITY)).anyMatch(r -> r.getType() == Type.NS
                    && r.getName().equals(Name.fromConstantString("insecure.deleg.test.")));
            NSECRecord nsec = insecure.getSection(Section.AUTHORITY).stream().filter(r -> r instanceof NSECRecord)
                    .map(r -> (NSECRecord) r).findFirst().orElseThrow();
            assertThat(nsec.getName()).isEqualTo(Name.fromConstantString("insecure.deleg.test."));
            assertThat(nsec.hasType(Type.NS)).isTrue();
            assertThat(nsec.hasType(Type.DS)).isFalse();
            assertThat(insecure.getSection(Section.AUTHORITY)).anyMatch(r -> r.getType() == Type.RRSIG);
            assertThat(insecure.getSection(Section.ADDITIONAL)).anyMatch(r -> r.getType() == Type.A && r.getName().equals(NS));

            Message secure = ask(parentOnly, "www.secure.deleg.test.", Type.A);
            assertThat(secure.getSection(Section.AUTHORITY)).anyMatch(r -> r.getType() == Type.DS);
            // NS at a cut is the child's: the parent does not sign it
            assertThat(parent.rrset(Name.fromConstantString("secure.deleg.test."), Type.NS).orElseThrow().sigs()).isEmpty();
        }
        // one server for all: a DS question at a child's apex is the parent's to answer
        Message ds = ask(server, "secure.deleg.test.", Type.DS);
        assertThat(ds.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(ds.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == Type.DS);
        assertThat(ask(server, "www.secure.deleg.test.", Type.A).getHeader().getFlag(Flags.AA)).as("the child answers").isTrue();
    }

    @Test
    void unboundValidatesSecureInsecureAndBogusDelegationsAsSuch() throws Exception {
        assumeTrue(unbound != null, "no unbound at " + UnboundInstance.BINARY + " (Debian package unbound)");
        Message secure = unbound.ask("www.secure.deleg.test.", Type.A);
        assertThat(secure.getRcode()).as(unbound.log()).isEqualTo(Rcode.NOERROR);
        assertThat(secure.getHeader().getFlag(Flags.AD)).as("signed child, DS in the parent").isTrue();

        Message insecure = unbound.ask("www.insecure.deleg.test.", Type.A);
        assertThat(insecure.getRcode()).as(unbound.log()).isEqualTo(Rcode.NOERROR);
        assertThat(insecure.getHeader().getFlag(Flags.AD)).as("provably unsigned: insecure, not bogus").isFalse();
        assertThat(insecure.getSection(Section.ANSWER)).extracting(Record::rdataToString).contains("127.0.0.5");

        Message bogus = unbound.ask("www.broken.deleg.test.", Type.A);
        assertThat(bogus.getRcode()).as(unbound.log()).isEqualTo(Rcode.SERVFAIL);
    }

    static Message ask(AuthoritativeServer s, String name, int type) throws IOException {
        SimpleResolver r = new SimpleResolver(s.address());
        r.setTimeout(Duration.ofSeconds(2));
        r.setEDNS(0, 1232, ExtendedFlags.DO);
        return r.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN)));
    }
}
