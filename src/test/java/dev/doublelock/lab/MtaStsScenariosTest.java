package dev.doublelock.lab;

import dev.doublelock.cli.Main;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TrustAnchors;
import dev.doublelock.policy.mtasts.FetchResult;
import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.policy.mtasts.StsPolicy;
import dev.doublelock.testing.RawSmtpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab's MTA-STS scenarios as a sender sees them, on loopback: the records in the lab's DNS, the policies from
 * the policy host (fetched by doublelock's own fetcher, trusting the lab CA, resolving through the lab's DNS), the
 * ids tied to the policies; and the lab's judgement of sessions, up to {@code lab results --mta-sts --json}.
 */
@Timeout(60)
class MtaStsScenariosTest {
    static final Name ZONE = Name.fromConstantString("lab.test.");
    @TempDir
    static Path data;
    static Lab lab;
    static MailResolver dns;

    @BeforeAll
    static void start() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data)
                .withDns(Optional.of(LabDnsOptions.of(ZONE.toString(), any)))
                .withMtaSts(Optional.of(new MtaStsOptions(any, InetAddress.getLoopbackAddress(), 0))));
        InetSocketAddress d = lab.dns().orElseThrow().address();
        dns = DnsjavaResolver.builder().server("127.0.0.1:" + d.getPort()).trustAnchors(TrustAnchors.none())
                .timeout(Duration.ofSeconds(2)).mxOrder(MxOrder.stable()).build();
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    @Test
    void everyScenarioHasItsMxItsRecordAndItsPolicy() throws Exception {
        StsFetcher fetcher = StsFetcher.resolvingThrough(labCaContext(), Duration.ofSeconds(10), StsFetcher.DEFAULT_MAX_BYTES,
                StsFetcher.PolicyHostAddresses.from(dns), lab.mtaStsPolicyHost().orElseThrow().address().getPort());
        Set<String> ids = new HashSet<>();
        for (MtaStsScenario s : MtaStsScenario.values()) {
            String domain = s.domain(ZONE).toString(true);
            Lookup<List<MxHost>> mx = dns.mx(domain);
            assertThat(mx).as(domain).isInstanceOf(Lookup.Found.class);
            assertThat(((Lookup.Found<List<MxHost>>) mx).value()).extracting(MxHost::name)
                    .containsExactly(s.mxHost(ZONE).toString(true));
            assertThat(dns.addresses(s.mxHost(ZONE).toString(true))).isEqualTo(new Lookup.Found<>(
                    List.of(InetAddress.getLoopbackAddress()), false));
            Lookup<List<String>> txt = dns.txt("_mta-sts." + domain);
            assertThat(txt).isEqualTo(new Lookup.Found<>(List.of(s.record(ZONE)), false));
            ids.add(s.record(ZONE));
            assertThat(dns.txt("_smtp._tls." + domain)).as("mail and HTTPS to the lab").isEqualTo(new Lookup.Found<>(List.of(
                    "v=TLSRPTv1; rua=mailto:tlsrpt@good.lab.test,https://tlsrpt.lab.test:"
                            + lab.mtaStsPolicyHost().orElseThrow().address().getPort() + "/tlsrpt"), false));

            FetchResult fetched = fetcher.fetch(domain);
            if (!s.policyHostCertificateValid()) {
                assertThat(fetched).as(s.toString()).isInstanceOf(FetchResult.WebPkiInvalid.class);
                continue;
            }
            assertThat(fetched).as(s.toString()).isInstanceOf(FetchResult.Ok.class);
            StsPolicy policy = ((FetchResult.Ok) fetched).policy();
            assertThat(((FetchResult.Ok) fetched).body()).isEqualTo(s.policyText(ZONE));
            assertThat(policy.mode()).isEqualTo(s.mode());
            assertThat(policy.matchesMx(s.mxHost(ZONE).toString(true))).as("%s lists its MX", s).isEqualTo(s.mxListed());
            assertThat(policy.maxAgeSeconds()).isEqualTo(MtaStsScenario.MAX_AGE_SECONDS);
        }
        assertThat(ids).as("one id per policy").hasSize(MtaStsScenario.values().length);
        assertThat(lab.mtaStsPolicyHost().orElseThrow().fetches()).filteredOn(f -> f.status() == 200)
                .extracting(f -> f.scenario().orElseThrow()).doesNotContain(MtaStsScenario.POLICY_HOST_INVALID_CERT)
                .hasSize(MtaStsScenario.values().length - 1);
    }

    @Test
    void theIdChangesWhenThePolicyDoes() {
        Name other = Name.fromConstantString("lab.example.");
        for (MtaStsScenario s : MtaStsScenario.values()) {
            assertThat(s.policyText(other)).isNotEqualTo(s.policyText(ZONE));
            assertThat(s.record(other)).as("another zone lists other mx names: another id").isNotEqualTo(s.record(ZONE));
            assertThat(s.record(ZONE)).isEqualTo(s.record(ZONE)).matches("v=STSv1; id=[0-9a-f]{16}");
        }
    }

    @ParameterizedTest(name = "{0} after {1}: {2}")
    @CsvSource({
            "ENFORCE_GOOD, DELIVERED, PASSED", "ENFORCE_GOOD, NO_TLS_DELIVERED, FAILED",
            "ENFORCE_GOOD, REFUSED_AT_HANDSHAKE, FAILED", "ENFORCE_GOOD, , ",
            "ENFORCE_SELF_SIGNED, DELIVERED_INSECURELY, FAILED", "ENFORCE_SELF_SIGNED, REFUSED_AT_HANDSHAKE, PASSED",
            "ENFORCE_SELF_SIGNED, PLAINTEXT_FALLBACK, FAILED", "ENFORCE_MX_NOT_LISTED, , PASSED",
            "ENFORCE_MX_NOT_LISTED, DELIVERED, FAILED", "ENFORCE_MX_NOT_LISTED, REFUSED_AFTER_HANDSHAKE, PASSED",
            "TESTING_BAD_MX, DELIVERED, PASSED", "TESTING_BAD_MX, REFUSED_AFTER_HANDSHAKE, FAILED",
            "POLICY_HOST_INVALID_CERT, DELIVERED, PASSED", "POLICY_HOST_INVALID_CERT, ABANDONED, ",
    })
    void judgement(MtaStsScenario scenario, Verdict verdict, MtaStsScenario.Outcome expected) {
        assertThat(scenario.judge(Optional.ofNullable(verdict))).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void plaintextDeliveriesFailAndTheResultsCommandSaysSo() throws Exception {
        for (MtaStsScenario s : List.of(MtaStsScenario.ENFORCE_GOOD, MtaStsScenario.TESTING_BAD_MX)) {
            InetSocketAddress mx = lab.mtaStsEndpoints().stream().filter(r -> r.scenario() == s).findFirst().orElseThrow().address();
            try (RawSmtpClient c = new RawSmtpClient(mx)) {
                assertThat(c.code()).isEqualTo(220);
                c.command("EHLO plaintext.sender.test");
                assertThat(c.deliver("a@sender.test", "probe@" + s.domain(ZONE).toString(true),
                        "Subject: plain\r\n\r\nhi")).isEqualTo(250);
                c.command("QUIT");
            }
        }
        JsonNode rows = null;
        for (int i = 0; i < 50; i++) { // the lab writes its record when the session closes
            rows = new ObjectMapper().readTree(capture(() -> Main.run("lab", "results", "--data", data.toString(),
                    "--mta-sts", "--json")));
            if (rows.size() == 1 && rows.get(0).get("failed").size() == 2) break;
            Thread.sleep(50);
        }
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("sender").asText()).contains("plaintext.sender.test");
        assertThat(row.get("failed")).extracting(JsonNode::asText).containsExactly("sts-testing-bad-mx", "sts-enforce-good");
        JsonNode good = row.get("scenarios").get(MtaStsScenario.ENFORCE_GOOD.ordinal());
        assertThat(good.get("verdict").asText()).isEqualTo("NO_TLS_DELIVERED");
        assertThat(good.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(good.get("expected").asText()).isEqualTo("must deliver");
        JsonNode notListed = row.get("scenarios").get(MtaStsScenario.ENFORCE_MX_NOT_LISTED.ordinal());
        assertThat(notListed.get("verdict").isNull()).isTrue();
        assertThat(notListed.get("outcome").asText()).as("never connecting is refusing").isEqualTo("PASSED");

        // the page's API: the same rows, with the scenarios and the policy host's fetches
        try (dev.doublelock.web.LabWebServer web = dev.doublelock.web.LabWebServer.start(lab,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.url() + "api/mta-sts")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode api = new ObjectMapper().readTree(r.body());
            assertThat(api.get("scenarios")).hasSize(MtaStsScenario.values().length);
            assertThat(api.get("scenarios").get(0).get("record").asText()).isEqualTo(MtaStsScenario.values()[0].record(ZONE));
            assertThat(api.get("policy_host").get("port").asInt())
                    .isEqualTo(lab.mtaStsPolicyHost().orElseThrow().address().getPort());
            assertThat(api.get("rows")).isEqualTo(rows);
            assertThat(api.get("scenarios").get(0).get("reported_by")).as("no TLS report received").isEmpty();
        }
    }

    @Test
    void labZonePrintsTheScenarioRecordsForPublishingAndTheConfigFileBindsTheirMxs(@TempDir Path tmp) throws Exception {
        String out = capture(() -> Main.run("lab", "zone", "--data", tmp.toString(), "--zone", "lab.example.org",
                "--ip", "192.0.2.1", "--mta-sts-ip", "192.0.2.80,192.0.2.81,192.0.2.82,192.0.2.83,192.0.2.84,192.0.2.85"));
        Name zone = Name.fromConstantString("lab.example.org.");
        for (MtaStsScenario s : MtaStsScenario.values()) {
            assertThat(out).containsPattern(java.util.regex.Pattern.quote(s.domain(zone).toString()) + "\\s+\\d+ IN MX\\s+10 "
                    + java.util.regex.Pattern.quote(s.mxHost(zone).toString()));
            assertThat(out).containsPattern(java.util.regex.Pattern.quote(s.mxHost(zone).toString()) + "\\s+\\d+ IN A\\s+192\\.0\\.2\\.8"
                    + (s.ordinal() + 1));
            assertThat(out).containsPattern(java.util.regex.Pattern.quote(s.policyHost(zone).toString()) + "\\s+\\d+ IN A\\s+192\\.0\\.2\\.80");
            assertThat(out).contains("\"" + s.record(zone) + "\"");
        }
        assertThat(Main.run("lab", "zone", "--data", tmp.toString(), "--mta-sts-ip", "192.0.2.80,192.0.2.81")).isEqualTo(2);

        Path config = tmp.resolve("lab.properties");
        java.nio.file.Files.writeString(config, "profile.good.bind = 192.0.2.10:25\nmta-sts.sts-enforce-good.bind = 192.0.2.85:25\n");
        assertThat(LabConfigFile.readMtaStsBinds(config)).isEqualTo(java.util.Map.of(MtaStsScenario.ENFORCE_GOOD,
                new InetSocketAddress("192.0.2.85", 25)));
        assertThat(LabConfigFile.read(config, LabOptions.defaults())).containsOnlyKeys(LabProfile.GOOD);
        MtaStsOptions sts = new MtaStsOptions(new InetSocketAddress("192.0.2.80", 443), InetAddress.getByName("192.0.2.1"), 2625,
                LabConfigFile.readMtaStsBinds(config));
        assertThat(sts.mxBind(MtaStsScenario.ENFORCE_GOOD)).isEqualTo(new InetSocketAddress("192.0.2.85", 25));
        assertThat(sts.mxBind(MtaStsScenario.TESTING_BAD_MX)).isEqualTo(new InetSocketAddress("192.0.2.1", 2627));
        java.nio.file.Files.writeString(config, "mta-sts.sts-nonsense.bind = 192.0.2.85:25\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabConfigFile.readMtaStsBinds(config))
                .hasMessageContaining("unknown MTA-STS scenario 'sts-nonsense'");
    }

    static SSLContext labCaContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", lab.pki("localhost").caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static String capture(java.util.concurrent.Callable<Integer> r) throws Exception {
        return dev.doublelock.testing.StdOut.of(() -> assertThat(r.call()).isZero());
    }
}
