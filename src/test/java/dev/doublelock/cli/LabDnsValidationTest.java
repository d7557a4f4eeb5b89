package dev.doublelock.cli;

import dev.doublelock.dns.server.AuthoritativeServer;
import dev.doublelock.dns.server.DnsLimits;
import dev.doublelock.dns.server.ServedZone;
import dev.doublelock.dns.server.ZoneKeys;
import dev.doublelock.lab.Lab;
import dev.doublelock.lab.LabDnsOptions;
import dev.doublelock.lab.LabOptions;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.LabZone;
import dev.doublelock.testing.UnboundInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's signed zone as a real validating resolver sees it: Debian's unbound, a private instance on loopback,
 * configured with the trust anchor that {@code doublelock lab zone} prints, resolves every profile's MX and address
 * with the AD bit; a broken signature and a wrong trust anchor make it answer SERVFAIL.
 */
class LabDnsValidationTest {
    static final String ZONE = "lab.test.";
    @TempDir
    static Path data;
    static Lab lab;
    static String anchor;
    static UnboundInstance unbound;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(UnboundInstance.available(), "no unbound at " + UnboundInstance.BINARY + " (Debian package unbound)");
        // 'lab zone' first, as an operator would: it makes the keys, the lab then signs with them
        String printed = LabCliTest.capture(() -> assertThat(Main.run("lab", "zone", "--data", data.toString(),
                "--zone", ZONE)).isZero());
        Matcher m = Pattern.compile("trust-anchor: \"lab\\.test\\. DS ([0-9]+ 13 2 [0-9A-F]+)\"").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        anchor = m.group(1);
        assertThat(printed).contains("lab.test.", "IN NS   ns.lab.test.", "IN DS   " + anchor, "stub-addr: 127.0.0.1@8053");
        // the unsigned child zone of dane-insecure needs its own stub (a referral's glue has no port)
        assertThat(printed).contains("name: \"dane-insecure.lab.test.\"", "IN NS   ns.lab.test.");
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data)
                .withDns(Optional.of(LabDnsOptions.of(ZONE, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))));
        assertThat(lab.dns().orElseThrow().ds().rdataToString()).as("the lab signs with the keys 'lab zone' made")
                .isEqualTo(anchor);
        unbound = UnboundInstance.start(ZONE, anchor, lab.dns().orElseThrow().address(),
                List.of(LabZone.domain(LabProfile.DANE_INSECURE, Name.fromConstantString(ZONE)).toString()));
    }

    @AfterAll
    static void stop() {
        if (unbound != null) unbound.close();
        if (lab != null) lab.close();
    }

    @Test
    void everyProfilesMxAndAddressValidate() throws Exception {
        Name zone = Name.fromConstantString(ZONE);
        for (LabProfile p : LabProfile.values()) {
            String domain = LabZone.domain(p, zone).toString();
            Message mx = unbound.ask(domain, Type.MX);
            boolean secure = !LabZone.insecureChild(p); // dane-insecure: an unsigned child zone, no DS
            assertThat(mx.getRcode()).as(domain + "\n" + unbound.log()).isEqualTo(Rcode.NOERROR);
            assertThat(mx.getHeader().getFlag(Flags.AD)).as(domain + " MX validated").isEqualTo(secure);
            List<Record> answer = mx.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.MX).toList();
            assertThat(answer).hasSize(1);
            Name host = ((MXRecord) answer.get(0)).getTarget();
            assertThat(host).isEqualTo(LabZone.mxHost(p, zone));
            Message a = unbound.ask(host.toString(), Type.A);
            assertThat(a.getHeader().getFlag(Flags.AD)).as(host + " A validated").isEqualTo(secure);
            assertThat(a.getSection(Section.ANSWER)).filteredOn(r -> r.getType() == Type.A)
                    .extracting(r -> ((ARecord) r).getAddress())
                    .containsExactly(lab.endpoint(p).address().getAddress());
        }
        assertThat(LabZone.mxHost(LabProfile.WILDCARD_TOO_DEEP, zone).toString())
                .isEqualTo("a.b.deep.wildcard-too-deep.lab.test.");
    }

    /** What a DANE sender's resolver makes of each scenario's TLSA question at the endpoint's real port. */
    @Test
    void everyDaneScenariosTlsaIsSecureBogusFailedInsecureOrDeniedAsItShouldBe() throws Exception {
        Name zone = Name.fromConstantString(ZONE);
        for (LabProfile p : LabProfile.values()) {
            if (p.dane().isEmpty()) continue;
            String name = LabZone.tlsaName(p, zone, lab.endpoint(p).port()).toString();
            Message m = unbound.ask(name, Type.TLSA);
            List<Record> tlsa = m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.TLSA).toList();
            String what = p + " " + name + "\n" + m + "\n" + unbound.log();
            switch (p.dane().get()) {
                case EE_MATCHING, TA_MATCHING, NOT_MATCHING, TA_WRONG_NAME -> {
                    assertThat(m.getRcode()).as(what).isEqualTo(Rcode.NOERROR);
                    assertThat(m.getHeader().getFlag(Flags.AD)).as(what).isTrue();
                    assertThat(tlsa).as(what).hasSize(1);
                }
                case BROKEN_RRSIG, EXPIRED_RRSIG, SERVFAIL -> assertThat(m.getRcode()).as(what).isEqualTo(Rcode.SERVFAIL);
                case INSECURE_ZONE -> {
                    assertThat(m.getRcode()).as(what).isEqualTo(Rcode.NOERROR);
                    assertThat(m.getHeader().getFlag(Flags.AD)).as(what).isFalse();
                    assertThat(tlsa).as(what).hasSize(1);
                }
                case NO_TLSA -> {
                    assertThat(m.getRcode()).as(what).isEqualTo(Rcode.NXDOMAIN);
                    assertThat(m.getHeader().getFlag(Flags.AD)).as("denial validated: " + what).isTrue();
                }
            }
        }
        String log = unbound.log();
        assertThat(log).contains("signature expired").containsIgnoringCase("signature crypto failed");
    }

    @Test
    void absentNamesAndTypesAreAuthenticallyDenied() throws Exception {
        Message nx = unbound.ask("no-such-profile.lab.test.", Type.MX);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getHeader().getFlag(Flags.AD)).as("NSEC proof validated\n" + unbound.log()).isTrue();
        Message rpt = unbound.ask("_smtp._tls.expired.lab.test.", Type.TXT);
        assertThat(rpt.getHeader().getFlag(Flags.AD)).as("the TLS-RPT record validates\n" + unbound.log()).isTrue();
        assertThat(rpt.getSection(org.xbill.DNS.Section.ANSWER).toString()).contains("rua=mailto:tlsrpt@good.lab.test")
                .as("this lab runs no policy host: no https report URI").doesNotContain("https://");
        Message nodata = unbound.ask("good.lab.test.", Type.TLSA);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getHeader().getFlag(Flags.AD)).isTrue();
        Message ent = unbound.ask("deep.wildcard-too-deep.lab.test.", Type.A);
        assertThat(ent.getRcode()).as("an empty non-terminal").isEqualTo(Rcode.NOERROR);
        assertThat(ent.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void aBrokenSignatureIsBogus() throws Exception {
        ServedZone good = lab.dns().orElseThrow().zone().get();
        Name goodDomain = Name.fromConstantString("good.lab.test.");
        RRset mx = good.rrset(goodDomain, Type.MX).orElseThrow();
        RRset broken = new RRset();
        mx.rrs(false).forEach(broken::addRR);
        for (RRSIGRecord s : mx.sigs()) {
            byte[] sig = s.getSignature().clone(); // dnsjava hands out its own array
            sig[sig.length / 2] ^= 0x01;
            broken.addRR(new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(),
                    s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig));
        }
        ServedZone tampered = good.with(broken);
        try (AuthoritativeServer server = AuthoritativeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> tampered, DnsLimits.defaults());
             UnboundInstance resolver = UnboundInstance.start(ZONE, anchor, server.address())) {
            Message answer = resolver.ask("good.lab.test.", Type.MX);
            assertThat(answer.getRcode()).as(resolver.log()).isEqualTo(Rcode.SERVFAIL);
            assertThat(resolver.log()).contains("validation failure");
            // the rest of the zone still validates: only the broken RRset is bogus
            Message a = resolver.ask("good.lab.test.", Type.A);
            assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(a.getHeader().getFlag(Flags.AD)).isTrue();
        }
    }

    @Test
    void aRestartedLabSignsWithTheSameKeysAndATakenDnsPortIsAClearError() throws Exception {
        InetSocketAddress taken = lab.dns().orElseThrow().address();
        LabOptions second = LabOptions.defaults().withBasePort(0).withDataDir(data);
        assertThatThrownBy(() -> Lab.start(second.withDns(Optional.of(LabDnsOptions.of(ZONE, taken)))))
                .isInstanceOf(dev.doublelock.io.ListenerBindException.class)
                .hasMessageContaining("lab DNS").hasMessageContaining("--dns-port");
        try (Lab again = Lab.start(second.withDns(Optional.of(LabDnsOptions.of(ZONE,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))))) {
            assertThat(again.dns().orElseThrow().ds().rdataToString()).isEqualTo(anchor);
            assertThat(again.dns().orElseThrow().address()).isNotEqualTo(taken);
        }
    }

    @Test
    void aWrongTrustAnchorFailsValidation() throws Exception {
        String other = ZoneKeys.generate().ds(Name.fromConstantString(ZONE), 3600).rdataToString();
        try (UnboundInstance resolver = UnboundInstance.start(ZONE, other, lab.dns().orElseThrow().address())) {
            Message answer = resolver.ask("good.lab.test.", Type.A);
            assertThat(answer.getRcode()).as(resolver.log()).isEqualTo(Rcode.SERVFAIL);
            assertThat(answer.getHeader().getFlag(Flags.AD)).isFalse();
        }
    }
}
