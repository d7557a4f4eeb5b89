package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doublelock.check.JsonSchemaCheck;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZoneSigner;
import dev.doublelock.dns.TestZones;
import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.testing.LabProcess;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static dev.doublelock.cli.CheckLabTest.check;
import static dev.doublelock.cli.CheckLabTest.codes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check DOMAIN} behind a resolver that withholds DNSSEC data (as many home routers do): the same signed
 * zone (MX → the lab's endpoints, DANE-EE TLSA for the good profile's key) served once as is and once through a
 * stripping server. Behind the stripping one, DNSSEC/DANE could not be checked (exit 2, one UNREACHABLE saying
 * why and how to fix it), the domain is not blamed (no DNSSEC_BOGUS), and the MX host is still probed and judged.
 */
class CheckBehindStrippingResolverTest {
    static LabProcess lab;
    static JsonSchemaCheck schema;
    static TestDnsServer passing;
    static TestDnsServer stripping;
    static Path anchor;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("check-stripping-test");
        lab = LabProcess.start(dir);
        schema = JsonSchemaCheck.committed();
        X509Certificate leaf = Pem.readCertificates(dir.resolve("pki").resolve("good.chain.pem")).getFirst();
        byte[] spki = MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded());
        TestZoneSigner.SignedZone zone = new TestZones("signed.test").mx("@", 10, "mx1.signed.test")
                .a("mx1", "127.0.0.1").tlsa("_25._tcp.mx1", new TlsaRecord(3, 1, 1, spki)).sign();
        passing = new TestDnsServer().add(TestZones.zone(zone));
        stripping = new TestDnsServer().add(TestZones.zone(zone)).stripDnssec();
        anchor = dir.resolve("anchor.txt");
        Files.writeString(anchor, zone.anchor().zoneText());
    }

    @AfterAll
    static void stop() {
        if (passing != null) passing.close();
        if (stripping != null) stripping.close();
        if (lab != null) lab.close();
    }

    static CheckLabTest.Run signedTest(TestDnsServer dns, String profile, String... more) {
        List<String> args = new ArrayList<>(List.of("signed.test", "--resolver", dns.address(), "--dnssec-anchor",
                anchor.toString(), "--smtp-port", String.valueOf(lab.port(profile)), "--trust", lab.caFile().toString(),
                "--name", "localhost"));
        args.addAll(List.of(more));
        return check(args.toArray(String[]::new));
    }

    static JsonNode json(CheckLabTest.Run run) {
        JsonNode r = run.json().getFirst();
        assertThat(schema.violations(r)).as(run.out()).isEmpty();
        return r;
    }

    static List<String> domainCodes(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.get("domain").get("findings").forEach(f -> out.add(f.get("code").asText()));
        return out;
    }

    @Test
    void throughAPassingResolverTheSignedDomainIsCompliantWithDane() {
        CheckLabTest.Run run = signedTest(passing, "good", "--json");
        JsonNode r = json(run);
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(r.get("domain").get("dnssec").asBoolean()).isTrue();
        assertThat(r.get("domain").get("dane").get(0).get("status").asText()).isEqualTo("match");
        assertThat(domainCodes(r)).isEmpty();
    }

    @Test
    void throughAStrippingResolverDnssecCouldNotBeCheckedAndTheMxIsStillProbed() {
        CheckLabTest.Run run = signedTest(stripping, "good", "--json");
        JsonNode r = json(run);
        assertThat(run.exit()).as(run.out()).isEqualTo(2);
        assertThat(r.get("verdict").asText()).isEqualTo("INCOMPLETE");
        assertThat(run.out()).doesNotContain("DNSSEC_BOGUS");
        assertThat(domainCodes(r)).containsExactly("UNREACHABLE");
        JsonNode finding = r.get("domain").get("findings").get(0);
        assertThat(finding.get("severity").asText()).isEqualTo("INFO");
        assertThat(finding.get("evidence").asText()).contains("resolver " + stripping.address()).contains("DNSKEY");
        assertThat(finding.get("message").asText()).contains("returned no DNSSEC data")
                .contains("DNSSEC, DANE and the tr-03108 rules could not be checked").contains("--resolver HOST:PORT")
                .contains("unbound").contains("9.9.9.9").contains("1.1.1.1");
        assertThat(r.get("domain").get("mx_status").asText()).isEqualTo("found");
        assertThat(r.get("domain").get("dnssec").asBoolean()).isFalse();
        JsonNode host = r.get("hosts").get(0);
        assertThat(host.get("name").asText()).isEqualTo("mx1.signed.test");
        assertThat(host.get("starttls").asText()).isEqualTo("ESTABLISHED");
        assertThat(host.get("protocols")).extracting(JsonNode::asText).contains("TLS 1.2", "TLS 1.3");
        assertThat(host.get("chain")).isNotEmpty();
        assertThat(codes(r, null)).as("the good endpoint is judged clean").isEmpty();
    }

    @Test
    void theTextReportSaysTheResolverWithheldDnssec() {
        CheckLabTest.Run run = signedTest(stripping, "good");
        assertThat(run.exit()).as(run.out()).isEqualTo(2);
        assertThat(run.out()).contains("UNREACHABLE").contains("returned no DNSSEC data").contains("--resolver")
                .contains("mx1.signed.test").doesNotContain("DNSSEC_BOGUS").doesNotContain("Re-sign the zone");
    }

    @Test
    void tr03108sDnssecAndDaneRulesAreNotAppliedToWhatCouldNotBeSeen() {
        CheckLabTest.Run run = signedTest(stripping, "good", "--json", "--policy", "tr-03108");
        JsonNode r = json(run);
        assertThat(run.exit()).as(run.out()).isEqualTo(2);
        assertThat(domainCodes(r)).containsExactly("UNREACHABLE");
    }

    @Test
    void aBrokenMxHostStillFailsBehindAStrippingResolver() {
        CheckLabTest.Run run = signedTest(stripping, "expired", "--json");
        JsonNode r = json(run);
        assertThat(run.exit()).as("the MX host's FAIL counts: exit 1, not 2").isEqualTo(1);
        assertThat(codes(r, "FAIL")).contains("EXPIRED_CERTIFICATE");
        assertThat(domainCodes(r)).containsExactly("UNREACHABLE");
        assertThat(run.out()).doesNotContain("DNSSEC_BOGUS");
    }
}
