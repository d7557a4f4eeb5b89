package dev.doublelock.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.cli.Main;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TrustAnchors;
import dev.doublelock.io.ResolvedHttps;
import dev.doublelock.testing.Command;
import dev.doublelock.tlsrpt.Rfc8460Example;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's HTTPS report endpoint (RFC 8460 §3, §5.4): {@code tlsrpt.lab.test} on the MTA-STS policy host, found
 * through the lab's DNS, its certificate the lab CA's for that name (SNI, host name verification); RFC 8460's example
 * report POSTed there appears in {@code lab results --tls-reports --json}; malformed and oversized reports get the
 * statuses the plain-HTTP endpoint answers ({@link TlsReportInbox}).
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabHttpsTlsReportsTest {
    static final Name ZONE = Name.fromConstantString("lab.test.");
    static final String HOST = "tlsrpt.lab.test";
    @TempDir
    static Path data;
    static Lab lab;
    static MailResolver dns;
    static int port;
    static List<InetAddress> addresses;

    @BeforeAll
    static void start() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data)
                .withDns(Optional.of(LabDnsOptions.of(ZONE.toString(), any)))
                .withMtaSts(Optional.of(new MtaStsOptions(any, InetAddress.getLoopbackAddress(), 0))));
        dns = DnsjavaResolver.builder().server("127.0.0.1:" + lab.dns().orElseThrow().address().getPort())
                .trustAnchors(TrustAnchors.none()).timeout(Duration.ofSeconds(2)).mxOrder(MxOrder.stable()).build();
        port = lab.mtaStsPolicyHost().orElseThrow().address().getPort();
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    static ResolvedHttps.Response post(String type, byte[] body) throws Exception {
        return ResolvedHttps.post(labCa(), HOST, port, addresses, "/tlsrpt", type, body,
                Duration.ofSeconds(20), 16 * 1024);
    }

    /** Trusting only the lab CA. */
    static SSLContext labCa() {
        return dev.doublelock.tls.PkixTrust.clientContext(List.of(lab.pki("localhost").caCertificate()));
    }

    static String text(ResolvedHttps.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void theZoneNamesTheEndpointAndItsAddressIsThePolicyHosts() {
        Lookup<List<InetAddress>> found = dns.addresses(HOST);
        assertThat(found).isEqualTo(new Lookup.Found<>(List.of(lab.mtaStsPolicyHost().orElseThrow().address().getAddress()), false));
        addresses = ((Lookup.Found<List<InetAddress>>) found).value();
        String both = "v=TLSRPTv1; rua=mailto:tlsrpt@good.lab.test,https://" + HOST + ":" + port + "/tlsrpt";
        for (String domain : List.of("good.lab.test", "expired.lab.test", "dane-ee.lab.test", "dane-insecure.lab.test",
                MtaStsScenario.ENFORCE_GOOD.domain(ZONE).toString(true))) {
            assertThat(dns.txt("_smtp._tls." + domain)).as(domain).isEqualTo(new Lookup.Found<>(List.of(both), false));
        }
    }

    @Test
    @Order(2)
    void theRfcExamplePostedOverHttpsIsStoredAndListedByLabResults() throws Exception {
        ResolvedHttps.Response r = post("application/tlsrpt+gzip", LabTlsReportsTest.gzip(Rfc8460Example.REPORT));
        assertThat(r.status()).as(text(r)).isEqualTo(201);
        assertThat(text(r)).contains("TLS report 5065427c-23d3-47ca-b6e0-946ea0e8c4be from Company-X stored");
        ResolvedHttps.Response again = post("application/tlsrpt+gzip", LabTlsReportsTest.gzip(Rfc8460Example.REPORT));
        assertThat(again.status()).isEqualTo(200);
        assertThat(text(again)).contains("duplicate");

        JsonNode orgs = new ObjectMapper().readTree(dev.doublelock.testing.StdOut.of(() -> assertThat(
                Main.run("lab", "results", "--data", data.toString(), "--tls-reports", "--json")).isZero()));
        assertThat(orgs).hasSize(1);
        assertThat(orgs.get(0).get("organization").asText()).isEqualTo("Company-X");
        assertThat(orgs.get(0).get("reports").asInt()).isEqualTo(1);
        assertThat(orgs.get(0).at("/policies/0/policy_domain").asText()).isEqualTo("company-y.example");
        assertThat(orgs.get(0).at("/policies/0/failed_sessions").asLong()).isEqualTo(303);
        assertThat(orgs.get(0).at("/policies/0/via").asText()).isEqualTo("post");
    }

    @Test
    @Order(3)
    void malformedOversizedAndMistypedReportsAreRefusedWithTheDocumentedStatuses() throws Exception {
        byte[] broken = LabTlsReportsTest.gzip(Rfc8460Example.REPORT.replace("\"organization-name\": \"Company-X\",", ""));
        ResolvedHttps.Response bad = post("application/tlsrpt+gzip", broken);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(text(bad)).contains("organization-name");
        assertThat(post("application/tlsrpt+gzip", new byte[TlsReportInbox.MAX_REPORT_MAIL + 10]).status()).isEqualTo(413);
        assertThat(post("text/plain", LabTlsReportsTest.gzip(Rfc8460Example.REPORT)).status()).isEqualTo(415);
        assertThat(ResolvedHttps.get(labCa(), HOST, port, addresses, "/tlsrpt",
                Duration.ofSeconds(10), 1024).status()).isEqualTo(405);
        assertThat(ResolvedHttps.get(labCa(), HOST, port, addresses, MtaStsPolicyHost.POLICY_PATH,
                Duration.ofSeconds(10), 1024).status()).as("the report host serves no policy").isEqualTo(404);
        assertThat(lab.records().tlsReports()).as("none of them stored").hasSize(1);
    }

    @Test
    @Order(4)
    void theCertificateIsTheLabCasForThatNameOnly() throws Exception {
        SSLContext jdkDefault = SSLContext.getDefault();
        assertThatThrownBy(() -> ResolvedHttps.post(jdkDefault, HOST, port, addresses, "/tlsrpt", "application/tlsrpt+gzip",
                LabTlsReportsTest.gzip(Rfc8460Example.REPORT), Duration.ofSeconds(10), 1024))
                .as("not a publicly trusted certificate").isInstanceOf(SSLHandshakeException.class);
        assertThat(lab.records().tlsReports()).hasSize(1);
    }

    @Test
    @Order(5)
    void curlPostsItTooTrustingOnlyTheLabCa() throws Exception {
        assumeTrue(Command.exists("curl"), "needs curl");
        Path ca = Files.writeString(data.resolve("ca.pem"), dev.doublelock.tls.pki.Pem.encode(
                lab.pki("localhost").caCertificate()));
        Path body = Files.write(data.resolve("report.json.gz"), LabTlsReportsTest.gzip(Rfc8460Example.REPORT
                .replace("Company-X", "Company-C").replace("5065427c-23d3-47ca-b6e0-946ea0e8c4be", "curl-1")));
        Command.Result r = Command.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(),
                "--resolve", HOST + ":" + port + ":127.0.0.1", "-H", "Content-Type: application/tlsrpt+gzip",
                "--data-binary", "@" + body, "-w", "\nHTTP %{http_code}", "https://" + HOST + ":" + port + "/tlsrpt"), null, 30);
        assertThat(r.output()).as(r.output()).contains("TLS report curl-1 from Company-C stored").contains("HTTP 201");
        assertThat(lab.records().tlsReports()).hasSize(2);
    }
}
