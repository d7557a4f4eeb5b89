package dev.doublelock.check;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.mtasts.InMemoryStsCache;
import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.LabCertificate;
import dev.doublelock.tls.pki.LabPki;
import dev.doublelock.tls.pki.Pem;
import dev.doublelock.tls.probe.ProbeOptions;
import dev.doublelock.tls.probe.TlsProber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The checker against a real Postfix receiver (Debian package) on loopback with a good certificate, compared with
 * what {@code testssl.sh --starttls smtp} (Debian package) reports for the same server: protocols offered, and the
 * certificate problems (none here). Both trust the same CA file and expect the name "localhost". testssl asks only
 * for what is compared (--protocols --server-defaults). Why TLS 1.0-only receivers are not compared: see the test.
 */
class TestsslCrossCheckTest {
    private static final Path TESTSSL = Path.of("/usr/bin/testssl");
    @TempDir
    static Path dir;
    static final List<PostfixInstance> servers = new ArrayList<>();
    static LabPki pki;
    static Path ca;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and Debian's postfix package (installed by .ci/run)");
        assumeTrue(Files.isExecutable(TESTSSL), "needs Debian's testssl.sh package (installed by .ci/run)");
        pki = LabPki.loadOrCreate(dir.resolve("pki"), "localhost");
        ca = Files.writeString(dir.resolve("ca.pem"), Pem.encode(pki.caCertificate()));
        // testssl's own openssl must be allowed to talk TLS 1.0 and SHA-1, or it stops at "cannot connect"
        Files.writeString(dir.resolve("openssl.cnf"), """
                openssl_conf = default_conf
                [default_conf]
                ssl_conf = ssl_sect
                [ssl_sect]
                system_default = system_default_sect
                [system_default_sect]
                MinProtocol = None
                CipherString = ALL:@SECLEVEL=0
                """);
    }

    @AfterAll
    static void stop() {
        servers.forEach(PostfixInstance::close);
    }

    /**
     * The good receiver only. TLS 1.0-only receivers (the shame certificate among them) cannot be compared with this
     * peer on Debian 12: testssl.sh 3.0.8 hands OpenSSL 3.0 its own {@code -cipher} list, which puts security level 1
     * back and refuses TLS 1.0, so it reports "Scan interrupted" and nothing else (it did, every run, whatever
     * OPENSSL_CONF says). They cost a minute of two testssl runs to learn nothing; their protocols and certificate
     * problems are compared suite by suite with {@code openssl s_client} in RandomServerConfigurationTest and
     * OpenSslPeerTest instead.
     */
    @Test
    void protocolsAndCertificateProblemsAgreeWithTestssl() throws Exception {
        int good = start(pki.certificate(LabCertificate.GOOD), Map.of());
        java.util.List<String> notCompared = new java.util.ArrayList<>();
        assertThat(compare("good", good, testssl(good).get(6, TimeUnit.MINUTES), notCompared))
                .as("testssl must see the good receiver (TLS 1.2/1.3): %s", notCompared).isTrue();
    }

    private static int start(CertifiedKey key, Map<String, String> tls) throws IOException, InterruptedException {
        int port = PostfixInstance.freePort();
        PostfixInstance p = PostfixInstance.receiver(port, Pem.encode(key.chain()), Pem.encode(key.privateKey()), tls);
        servers.add(p);
        p.start();
        PostfixInstance.awaitGreeting(port, java.time.Duration.ofSeconds(30));
        return port;
    }

    /** False (and why, in {@code notCompared}) if testssl saw no protocol at all on this receiver. */
    private static boolean compare(String what, int port, JsonNode testssl, java.util.List<String> notCompared) {
        HostReport ours = checker().check(new Target.Endpoint("127.0.0.1", port)).hosts().getFirst();
        Set<String> theirProtocols = new TreeSet<>();
        Map<String, String> ids = Map.of("SSLv3", "SSL 3.0", "TLS1", "TLS 1.0", "TLS1_1", "TLS 1.1", "TLS1_2", "TLS 1.2", "TLS1_3", "TLS 1.3");
        Set<String> theirProblems = new TreeSet<>();
        for (JsonNode x : testssl) {
            String id = x.path("id").asText();
            String finding = x.path("finding").asText();
            if (ids.containsKey(id) && finding.startsWith("offered")) theirProtocols.add(ids.get(id));
            if (id.equals("cert_expirationStatus") && finding.toLowerCase().contains("expired")) theirProblems.add("expired");
            if (id.equals("cert_chain_of_trust") && !x.path("severity").asText().equals("OK")) theirProblems.add("untrusted");
            if (id.equals("cert_trust") && !finding.startsWith("Ok")) theirProblems.add("name");
            if (id.equals("cert_signatureAlgorithm") && finding.contains("SHA1")) theirProblems.add("sha1");
            if (id.equals("cert_keySize") && finding.matches("RSA (\\d{1,3}|1\\d{3}) bits.*")) theirProblems.add("rsa<2048");
        }
        Set<String> ourProtocols = new TreeSet<>();
        ours.observation().orElseThrow().acceptedVersions().forEach(v -> ourProtocols.add(v.displayName()));
        Set<String> ourProblems = new TreeSet<>();
        for (Finding f : ours.findings()) {
            if (f.severity() != Severity.FAIL) continue;
            switch (f.code()) {
                case EXPIRED_CERTIFICATE -> ourProblems.add("expired");
                case UNKNOWN_ISSUER -> ourProblems.add("untrusted");
                case BAD_CERT_DOMAIN -> ourProblems.add("name");
                case WEAK_SIGNATURE_ALGORITHM -> { if (f.evidence().contains("SHA1")) ourProblems.add("sha1"); }
                case WEAK_KEY -> { if (f.evidence().matches(".*RSA \\d{3,4} bit.*")) ourProblems.add("rsa<2048"); }
                default -> { }
            }
        }
        if (theirProtocols.isEmpty()) {
            String said = "";
            for (JsonNode x : testssl) {
                if (x.path("severity").asText().matches("FATAL|WARN")) said = x.path("finding").asText();
            }
            notCompared.add(what + " (testssl: " + (said.isEmpty() ? "no protocol offered" : said) + ")");
            return false;
        }
        assertThat(ourProtocols).as("protocols of %s (testssl: %s)", what, theirProtocols).isEqualTo(theirProtocols);
        assertThat(ourProblems).as("certificate problems of %s (ours: %s)", what, ours.findings()).isEqualTo(theirProblems);
        if (what.equals("shame")) {
            assertThat(ourProblems).containsExactlyInAnyOrder("expired", "untrusted", "name", "sha1", "rsa<2048");
        }
        if (what.equals("good")) assertThat(ourProblems).isEmpty();
        return true;
    }

    private static CheckRunner checker() {
        ProbeOptions probe = ProbeOptions.defaults();
        CheckOptions options = new CheckOptions(2026, List.of(pki.caCertificate()), Optional.of("localhost"), 25, probe,
                Clock.systemUTC());
        DnsjavaResolver dns = DnsjavaResolver.builder().server("127.0.0.1:9").build(); // never asked: IP endpoints
        return new CheckRunner(dns, new TlsProber(probe), Policies.builtIn("bsi"), options,
                new StsLookup(dns, StsFetcher.withDefaults(java.time.Duration.ofSeconds(1)), new InMemoryStsCache(), Clock.systemUTC()));
    }

    private static CompletableFuture<JsonNode> testssl(int port) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Path json = dir.resolve("testssl-" + port + ".json");
                ProcessBuilder pb = new ProcessBuilder(TESTSSL.toString(), "--protocols", "--server-defaults", "--warnings", "batch", "--starttls", "smtp",
                        "--ip", "127.0.0.1", "--nodns", "none", "--add-ca", ca.toString(), "--jsonfile", json.toString(),
                        "localhost:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("testssl-" + port + ".out").toFile());
                pb.environment().put("NXCONNECT", "127.0.0.1:0");
                pb.environment().put("OPENSSL_CONF", dir.resolve("openssl.cnf").toString());
                Process p = pb.start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("testssl did not finish in 5 minutes for port " + port);
                }
                return new ObjectMapper().readTree(json.toFile());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
