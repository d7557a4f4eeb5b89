package dev.doublelock.relay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.cli.CheckCommand;
import dev.doublelock.config.RelayConfig;
import dev.doublelock.relay.DeliveryWorkers;
import dev.doublelock.relay.Relay;
import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One verdict against real receivers: a private Postfix (Debian's package) per defect, judged by the checker and
 * delivered to by the relay under {@code bsi}. For each: the checker's forecast of the relay ("relay: would refuse:
 * …") is what the relay then does, with the same FAIL codes; every code the relay refuses for is one the checker
 * reports; and the relay never delivers to a defect. Needs root and the postfix package; skipped otherwise.
 */
@Timeout(600)
class PostfixReceiverDefectsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "defects.test";
    private static final String TLS12_ONLY = "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.3";

    enum Defect {
        GOOD, DHE_1024, ANONYMOUS_ONLY, TLS_1_1_ONLY, CBC_SHA1_ONLY, MISSING_INTERMEDIATE
    }

    static Path dir;
    static Path caPem;
    static Path fullChain;
    static Path leafOnly;
    static Path keyPem;
    static Path dh1024;

    @BeforeAll
    static void pki() throws Exception {
        if (!PostfixInstance.available()) return;
        dir = Files.createTempDirectory(Path.of("/tmp"), "doublelock-pf-defects-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        CertifiedKey root = new CertificateBuilder().subject("CN=doublelock defects root").rsa(3072)
                .certificateAuthority(1).build();
        CertifiedKey inter = new CertificateBuilder().subject("CN=doublelock defects intermediate").rsa(3072)
                .certificateAuthority(0).issuer(root).build();
        // RSA, so that the DHE-RSA and ECDHE-RSA suites of the defects can be served
        CertifiedKey leaf = new CertificateBuilder().subject("CN=localhost").rsa(3072).dnsNames("localhost")
                .ipAddresses("127.0.0.1").issuer(inter).build();
        caPem = dir.resolve("ca.pem");
        Pem.write(caPem, Pem.encode(root.leaf()));
        fullChain = dir.resolve("chain.pem");
        Pem.write(fullChain, Pem.encode(List.of(leaf.leaf(), inter.leaf())));
        leafOnly = dir.resolve("leaf.pem");
        Pem.write(leafOnly, Pem.encode(leaf.leaf()));
        keyPem = dir.resolve("key.pem");
        Pem.write(keyPem, Pem.encode(leaf.privateKey()));
        dh1024 = dir.resolve("dh1024.pem");
        Process p = new ProcessBuilder("openssl", "dhparam", "-out", dh1024.toString(), "1024")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dhparam.log").toFile()).start();
        assertThat(p.waitFor()).as("openssl dhparam 1024").isZero();
        Files.setPosixFilePermissions(dh1024, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterAll
    static void cleanUp() {
        // the directory is kept under /tmp for a post-mortem of a failed run; it holds only test keys
    }

    private static Map<String, String> mainCf(Defect d) {
        return switch (d) {
            // what BSI TR-02102-2 asks of a mail server: TLS 1.2 and 1.3, ECDHE with AES-GCM, NIST curves
            case GOOD, MISSING_INTERMEDIATE -> Map.of("smtpd_tls_protocols", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1",
                    "smtpd_tls_ciphers", "medium",
                    "tls_medium_cipherlist", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
                    "tls_eecdh_auto_curves", "prime256v1 secp384r1");
            case DHE_1024 -> Map.of("smtpd_tls_protocols", TLS12_ONLY, "smtpd_tls_ciphers", "medium",
                    "tls_medium_cipherlist", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0",
                    "smtpd_tls_dh1024_param_file", dh1024.toString());
            case ANONYMOUS_ONLY -> Map.of("smtpd_tls_protocols", TLS12_ONLY, "smtpd_tls_ciphers", "medium",
                    "tls_medium_cipherlist", "aNULL:!eNULL:@SECLEVEL=0");
            case TLS_1_1_ONLY -> Map.of("smtpd_tls_protocols", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.2, !TLSv1.3",
                    "smtpd_tls_ciphers", "medium", "tls_medium_cipherlist", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0");
            case CBC_SHA1_ONLY -> Map.of("smtpd_tls_protocols", TLS12_ONLY, "smtpd_tls_ciphers", "medium",
                    "tls_medium_cipherlist", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA");
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Defect.class)
    void theCheckerForecastsWhatTheRelayDoes(Defect defect) throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and /usr/sbin/postfix");
        int port = PostfixInstance.freePort();
        Path chain = defect == Defect.MISSING_INTERMEDIATE ? leafOnly : fullChain;
        Path relayDir = Files.createTempDirectory(dir, "relay-" + defect + "-");
        try (PostfixInstance receiver = PostfixInstance.receiver(port, DOMAIN, chain, keyPem, mainCf(defect)).start()) {
            // the checker
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = CheckCommand.run(new PrintWriter(out), new PrintWriter(err), new String[] {
                    "127.0.0.1:" + port, "--json", "--trust", caPem.toString(), "--name", "localhost"});
            JsonNode report = JSON.readTree(out.toString().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow());
            JsonNode host = report.path("hosts").get(0);
            Set<String> checkFails = fails(host.path("findings"));
            JsonNode forecast = host.path("relay");
            Set<String> forecastFails = new TreeSet<>();
            forecast.path("refused_for").forEach(c -> forecastFails.add(c.asText()));
            String context = defect + ": check exit " + exit + ", " + out + err + "\nreceiver log:\n" + receiver.maillog();

            // the relay, under bsi
            try (Relay relay = Relay.start(RelayConfig.parse(config(relayDir, port), "test"), new DeliveryWorkers(),
                    n -> { })) {
                assertThat(Submitter.send(relay.relayAddress().orElseThrow(), defect + "@defects.test", "bob@" + DOMAIN))
                        .as("the relay accepted the message").isTrue();
                JsonNode attempt = firstAttempt(relayDir.resolve("relay").resolve("delivery.log"), Duration.ofSeconds(60))
                        .orElseThrow(() -> new AssertionError("no delivery attempt logged; " + context));
                Set<String> relayFails = fails(attempt.path("findings"));
                String outcome = attempt.path("outcome").asText();
                String all = context + "\nrelay attempt: " + attempt;
                System.out.printf("%-20s check %s %s | forecast %s %s | relay %s %s%n", defect, exit, checkFails,
                        forecast.path("action").asText(), forecastFails, outcome, relayFails);

                if (defect == Defect.GOOD) {
                    assertThat(exit).as(all).isZero();
                    assertThat(forecast.path("action").asText()).as(all).isEqualTo("deliver");
                    assertThat(outcome).as(all).isEqualTo("delivered");
                    return;
                }
                assertThat(exit).as("the checker reports the defect; " + all).isEqualTo(1);
                assertThat(checkFails).as(all).isNotEmpty();
                assertThat(outcome).as("under bsi the relay never delivers to a defect; " + all).isNotEqualTo("delivered");
                assertThat(forecast.path("action").asText()).as(all).isEqualTo("refuse");
                assertThat(relayFails).as("the relay refuses for exactly what the checker forecast; " + all)
                        .isEqualTo(forecastFails);
                assertThat(checkFails).as("every code the relay refuses for is one the checker reports; " + all)
                        .containsAll(relayFails);
            }
        }
    }

    private static Set<String> fails(JsonNode findings) {
        Set<String> s = new TreeSet<>();
        findings.forEach(f -> {
            if (f.path("severity").asText().equals("FAIL")) s.add(f.path("code").asText());
        });
        return s;
    }

    private static Optional<JsonNode> firstAttempt(Path log, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            if (Files.exists(log)) {
                List<String> lines = new ArrayList<>(Files.readAllLines(log));
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    return Optional.of(JSON.readTree(lines.getFirst()));
                }
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    private static String config(Path relayDir, int port) {
        return """
                {"dataDir": "%s", "submission": {"listen": "off"}, "relay": {"listen": "127.0.0.1:0"},
                 "metrics": {"listen": "off"},
                 "policy": {"default": "bsi", "mode": "enforce", "trust": ["%s"]},
                 "routes": {"%s": ["[127.0.0.1]:%d"]},
                 "delivery": {"pollIntervalMillis": 100}}
                """.formatted(relayDir.resolve("relay"), caPem, DOMAIN, port);
    }
}
