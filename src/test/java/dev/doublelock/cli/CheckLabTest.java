package dev.doublelock.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.check.JsonSchemaCheck;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZoneSigner;
import dev.doublelock.dns.TestZones;
import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.pki.Pem;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.testing.LabProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker against the lab, started once in its own JVM: every profile's reported finding codes, exit codes,
 * the JSON schema, HTML escaping and batch mode; the domain-mode tests live in {@link CheckDomainTests}.
 */
class CheckLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static LabProcess lab;
    static JsonSchemaCheck schema;
    static Path dir;

    @BeforeAll
    static void startLab() throws Exception {
        dir = Files.createTempDirectory("check-lab-test");
        lab = LabProcess.start(dir);
        schema = JsonSchemaCheck.committed();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    /** Runs {@code check} in this JVM; returns exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
        List<JsonNode> json() {
            return out.lines().filter(l -> !l.isBlank()).map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + l, e);
                }
            }).toList();
        }
    }

    static Run check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CheckCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String endpoint(LabProfile p) {
        return "127.0.0.1:" + lab.port(p.profileName());
    }

    static Set<String> codes(JsonNode report, String severity) {
        Set<String> codes = new TreeSet<>();
        for (JsonNode h : report.get("hosts")) {
            for (JsonNode f : h.get("findings")) {
                if (severity == null || f.get("severity").asText().equals(severity)) codes.add(f.get("code").asText());
            }
        }
        return codes;
    }

    @Nested
    class Table {
        @ParameterizedTest
        // the DANE scenarios differ from good, self-signed and wrong-host only in DNS, which this check has none of
        @EnumSource(value = LabProfile.class, names = "DANE_.*", mode = EnumSource.Mode.MATCH_NONE)
        void reportsExactlyTheProfilesExpectedFindings(LabProfile profile) {
            // the reference name a sender would use: localhost, but a.b.deep.localhost for wildcard-too-deep
            Run run = check(endpoint(profile), "--json", "--trust", lab.caFile().toString(), "--name",
                    profile.referenceName("localhost"));
            JsonNode report = run.json().getFirst();
            Set<String> fails = codes(report, "FAIL");
            Set<String> expected = names(profile.expectedFindings());
            Set<String> allowed = new TreeSet<>(expected);
            allowed.addAll(names(profile.toleratedFindings()));
            // TLS 1.0/1.1-only and static-RSA servers are probed whole too: STARTTLS injection and client renegotiation
            // complete their handshakes there through BouncyCastle's low-level TLS (the JDK's has them off)
            boolean legacyOnly = switch (profile.tls()) {
                case TLS10, TLS11, SHAME -> true;
                default -> false;
            };
            JsonNode untested = report.get("hosts").get(0).get("untested");
            boolean tls = profile.startTls() == LabProfile.StartTls.OFFERED || profile.startTls() == LabProfile.StartTls.OFFERED_EXECUTES_INJECTED;
            if (tls) {
                assertThat(untested).as(report.toString()).isEmpty();
            }
            if (legacyOnly) {
                JsonNode v = report.get("hosts").get(0).get("vulnerabilities");
                assertThat(v.has("client_renegotiation")).as(report.toString()).isTrue();
                assertThat(v.get("starttls_injection").get("status").asText()).as(report.toString()).isEqualTo("NOT_VULNERABLE");
            }
            assertThat(fails).as("FAIL codes for %s: %s", profile, report).containsAll(expected);
            assertThat(fails).as("FAIL codes for %s: %s", profile, report).isSubsetOf(allowed);
            assertThat(codes(report, null)).as("no other codes at all for %s", profile).isSubsetOf(allowed);
            assertThat(report.get("incomplete").asBoolean()).as("complete for %s: %s", profile, report).isFalse();
            // the checker's verdict: compliant exactly where no finding is expected (starttls-injection is good for
            // senders, isGood(), but its server-side defect is the checker's)
            boolean compliant = profile.expectedFindings().isEmpty();
            assertThat(run.exit()).isEqualTo(compliant ? 0 : 1);
            assertThat(report.get("verdict").asText()).isEqualTo(compliant ? "COMPLIANT" : "NON_COMPLIANT");
            assertThat(schema.violations(report)).as("schema violations for %s", profile).isEmpty();
        }

        @Test
        void wildcardTooDeepIsAWellFormedWildcardForOneLabel() {
            // the certificate is not simply wrong: one label below its wildcard it is compliant
            Run run = check(endpoint(LabProfile.WILDCARD_TOO_DEEP), "--json", "--trust", lab.caFile().toString(),
                    "--name", "x.deep.localhost");
            assertThat(run.exit()).as(run.out()).isZero();
            assertThat(codes(run.json().getFirst(), null)).isEmpty();
        }

        @Test
        void cnOnlyWouldPassOnlyWithTheCnFallbackThatRfc9525Dropped() throws Exception {
            // the same policy with the opt-in RFC 6125 §6.4.4 CN fallback accepts it: the CN really names the host
            String bsi = new String(CheckLabTest.class.getResourceAsStream("/dev/doublelock/policy/bsi.json").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(bsi).contains("\"cnFallback\": false");
            Path lax = dir.resolve("bsi-cn-fallback.json");
            Files.writeString(lax, bsi.replace("\"cnFallback\": false", "\"cnFallback\": true"));
            Run run = check(endpoint(LabProfile.CN_ONLY), "--json", "--policy", lax.toString(), "--trust",
                    lab.caFile().toString(), "--name", "localhost");
            assertThat(codes(run.json().getFirst(), null)).as(run.out()).doesNotContain("BAD_CERT_DOMAIN");
        }

        @Test
        void goodIsCompliantUnderBsiStrictToo() {
            Run run = check(endpoint(LabProfile.GOOD), "--json", "--policy", "bsi-strict", "--trust", lab.caFile().toString(),
                    "--name", "localhost");
            assertThat(run.exit()).as(run.out()).isZero();
            assertThat(codes(run.json().getFirst(), null)).isEmpty();
        }
    }

    static Set<String> names(List<FindingCode> codes) {
        Set<String> s = new TreeSet<>();
        codes.forEach(c -> s.add(c.name()));
        return s;
    }

    @Nested
    class Output {
        @Test
        void batchWritesOneJsonLinePerInputAndSaysWhyABadLineWasSkipped() throws Exception {
            Path file = dir.resolve("batch.txt");
            Files.writeString(file, "# lab endpoints\n" + endpoint(LabProfile.GOOD) + "\n\n" + endpoint(LabProfile.EXPIRED)
                    + "\nnot a target!\n" + endpoint(LabProfile.NO_STARTTLS) + "\n");
            Run run = check("--batch", file.toString(), "--concurrency", "2", "--trust", lab.caFile().toString(),
                    "--name", "localhost");
            List<JsonNode> lines = run.json();
            assertThat(lines).extracting(j -> j.get("target").asText()).containsExactlyInAnyOrder(
                    endpoint(LabProfile.GOOD), endpoint(LabProfile.EXPIRED), "not a target!", endpoint(LabProfile.NO_STARTTLS));
            lines.forEach(j -> assertThat(schema.violations(j)).isEmpty());
            JsonNode bad = lines.stream().filter(j -> j.get("target").asText().equals("not a target!")).findFirst().orElseThrow();
            assertThat(bad.get("verdict").asText()).isEqualTo("INCOMPLETE");
            assertThat(bad.get("input_error").asText()).isNotBlank();
            assertThat(lines).filteredOn(j -> j.has("input_error")).hasSize(1);
            assertThat(run.err()).contains("skipped 'not a target!'");
            assertThat(run.exit()).isEqualTo(1);
        }

        @Test
        void closedPortMeansCouldNotCheck() throws Exception {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Run run = check("127.0.0.1:" + port, "--json", "--timeout", "2");
            JsonNode r = run.json().getFirst();
            assertThat(r.get("verdict").asText()).isEqualTo("INCOMPLETE");
            assertThat(r.get("incomplete").asBoolean()).isTrue();
            assertThat(codes(r, null)).containsExactly("UNREACHABLE");
            assertThat(run.exit()).isEqualTo(2);
        }

        @Test
        void textReportPutsTheVerdictFirstAndSaysHowToFix() {
            Run run = check(endpoint(LabProfile.EXPIRED), "--trust", lab.caFile().toString(), "--name", "localhost");
            assertThat(run.out().lines().findFirst().orElseThrow()).isEqualTo(endpoint(LabProfile.EXPIRED)
                    + ": NON_COMPLIANT (findings of severity FAIL)");
            assertThat(run.out()).contains("FAIL EXPIRED_CERTIFICATE", "seen: ", "fix:  ", "TLS 1.3: ")
                    .doesNotContain("\u001b[");
            assertThat(run.exit()).isEqualTo(1);
        }

        @Test
        void htmlPageIsSelfContained() throws Exception {
            Path html = dir.resolve("report.html");
            Run run = check(endpoint(LabProfile.SHAME), endpoint(LabProfile.GOOD), "--html", html.toString(), "--trust",
                    lab.caFile().toString(), "--name", "localhost");
            assertThat(run.exit()).isEqualTo(1);
            String page = Files.readString(html);
            assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n").contains("NON_COMPLIANT", "COMPLIANT",
                    "WEAK_KEY", "CN=abc.xy").doesNotContain("<script", "<link", "src=", "http://", "https://");
        }

        @Test
        void plainWordErrors() throws Exception {
            Run unknown = check("example.org", "--policy", "nist");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("unknown policy 'nist'", "bsi, bsi-strict, tr-03108, opportunistic");
            Run trust = check("127.0.0.1:25", "--trust", dir.resolve("no-such.pem").toString());
            assertThat(trust.exit()).isEqualTo(2);
            assertThat(trust.err()).contains("cannot read --trust file", "no-such.pem");
            Run target = check("127.0.0.1");
            assertThat(target.exit()).isEqualTo(2);
            assertThat(target.err()).contains("needs a port");
            Run none = check();
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).contains("give at least one TARGET");
            assertThat(check("--help").exit()).isZero();
        }
    }

    /** Domain mode: an in-process DNS server with signed and unsigned zones whose MX hosts are the lab's good endpoint. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Domains {
        TestDnsServer dns;
        Path anchor;

        @BeforeAll
        void startDns() throws Exception {
            X509Certificate leaf = Pem.readCertificates(dir.resolve("pki").resolve("good.chain.pem")).getFirst();
            byte[] spki = MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded());
            byte[] other = MessageDigest.getInstance("SHA-256").digest("not the key".getBytes());
            TestZones signed = new TestZones("signed.test")
                    .mx("@", 20, "mx2.signed.test").mx("@", 10, "mx1.signed.test")
                    .a("mx1", "127.0.0.1").a("mx2", "127.0.0.1")
                    .tlsa("_25._tcp.mx1", new TlsaRecord(3, 1, 1, spki)).tlsa("_25._tcp.mx2", new TlsaRecord(3, 1, 1, spki))
                    .txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:tlsrpt@signed.test")
                    .mx("mismatch", 10, "mxbad.signed.test").a("mxbad", "127.0.0.1")
                    .tlsa("_25._tcp.mxbad", new TlsaRecord(3, 1, 1, other))
                    .mx("nullmx", 0, ".")
                    .mx("tampered", 10, "mx1.signed.test");
            TestZoneSigner.SignedZone zone = signed.sign();
            List<Record> records = new ArrayList<>(zone.records());
            Name tampered = signed.n("tampered");
            records.removeIf(r -> r instanceof MXRecord && r.getName().equals(tampered));
            records.add(new MXRecord(tampered, DClass.IN, 3600, 10, Name.fromConstantString("mx2.signed.test.")));
            TestZones plain = new TestZones("plain.test").mx("@", 10, "mx1.plain.test").a("mx1", "127.0.0.1")
                    .tlsa("_25._tcp.mx1", new TlsaRecord(3, 1, 1, spki));
            dns = new TestDnsServer().add(TestZones.zone(new TestZoneSigner.SignedZone(zone.origin(), records, zone.ds())))
                    .add(plain.unsigned());
            anchor = dir.resolve("anchor.txt");
            Files.writeString(anchor, zone.anchor().zoneText());
        }

        @AfterAll
        void stopDns() {
            if (dns != null) dns.close();
        }

        Run domain(String name, String... more) {
            List<String> args = new ArrayList<>(List.of(name, "--json", "--resolver", dns.address(), "--dnssec-anchor",
                    anchor.toString(), "--smtp-port", String.valueOf(lab.port("good")), "--trust", lab.caFile().toString(),
                    "--name", "localhost"));
            args.addAll(List.of(more));
            Run run = check(args.toArray(String[]::new));
            assertThat(schema.violations(run.json().getFirst())).as(run.out()).isEmpty();
            return run;
        }

        @Test
        void mxHostsAreProbedInPreferenceOrderAndDaneMatches() {
            Run run = domain("signed.test");
            JsonNode r = run.json().getFirst();
            assertThat(r.get("verdict").asText()).as(run.out()).isEqualTo("COMPLIANT");
            assertThat(run.exit()).isZero();
            assertThat(r.get("hosts")).extracting(h -> h.get("name").asText()).containsExactly("mx1.signed.test", "mx2.signed.test");
            JsonNode d = r.get("domain");
            assertThat(d.get("mx")).extracting(m -> m.get("preference").asInt()).containsExactly(10, 20);
            assertThat(d.get("dnssec").asBoolean()).isTrue();
            assertThat(d.get("dane")).extracting(x -> x.get("status").asText()).containsExactly("match", "match");
            assertThat(d.get("tlsrpt").get("rua").get(0).asText()).isEqualTo("mailto:tlsrpt@signed.test");
            assertThat(domain("signed.test", "--policy", "tr-03108").exit()).as("DANE satisfies tr-03108").isZero();
        }

        @Test
        void daneMismatchIsAFailure() {
            Run run = domain("mismatch.signed.test");
            JsonNode r = run.json().getFirst();
            assertThat(codes(r, "FAIL")).as(run.out()).containsExactly("DANE_TLSA_MISMATCH");
            assertThat(r.get("domain").get("dane").get(0).get("status").asText()).isEqualTo("mismatch");
            assertThat(run.exit()).isEqualTo(1);
        }

        @Test
        void nullMxIsExplainedNotProbed() {
            Run run = domain("nullmx.signed.test");
            JsonNode r = run.json().getFirst();
            assertThat(r.get("hosts")).isEmpty();
            assertThat(r.get("domain").get("mx_status").asText()).isEqualTo("null-mx");
            assertThat(r.get("domain").get("notes").toString()).contains("RFC 7505");
            assertThat(run.exit()).isZero();
        }

        @Test
        void unsignedZoneHasNoDaneWhichOnlyTr03108Requires() {
            Run bsi = domain("plain.test");
            JsonNode r = bsi.json().getFirst();
            assertThat(r.get("domain").get("dnssec").asBoolean()).isFalse();
            assertThat(r.get("domain").get("dane").get(0).get("status").asText()).isEqualTo("none");
            assertThat(r.get("domain").get("findings")).isEmpty();
            assertThat(bsi.exit()).as(bsi.out()).isZero();
            Run tr = domain("plain.test", "--policy", "tr-03108");
            JsonNode t = tr.json().getFirst();
            assertThat(t.get("domain").get("findings")).extracting(f -> f.get("code").asText()).containsExactly("NO_DANE");
            assertThat(tr.exit()).isEqualTo(1);
        }

        @Test
        void bogusSignatureIsDnssecBogus() {
            Run run = domain("tampered.signed.test");
            JsonNode r = run.json().getFirst();
            assertThat(r.get("domain").get("mx_status").asText()).isEqualTo("bogus");
            assertThat(r.get("domain").get("findings")).extracting(f -> f.get("code").asText()).containsExactly("DNSSEC_BOGUS");
            assertThat(r.get("hosts")).isEmpty();
            assertThat(run.exit()).isEqualTo(1);
        }
    }
}
