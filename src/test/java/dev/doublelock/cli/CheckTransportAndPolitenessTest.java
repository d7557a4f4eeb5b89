package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.check.JsonSchemaCheck;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} over the prober's three transports from the command line, and polite probing of a receiver that
 * allows 5 connections at once and answers 421 beyond: real JSSE handshakes on loopback.
 */
class CheckTransportAndPolitenessTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static CertifiedKey key;
    static Path trust;
    static JsonSchemaCheck schema;

    @BeforeAll
    static void pki() throws Exception {
        Instant now = Instant.now();
        key = new CertificateBuilder().ecdsa("secp256r1").subject("CN=localhost").dnsNames("localhost")
                .ipAddresses("127.0.0.1").validity(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS)).build();
        trust = Files.createTempFile("wt13-trust", ".pem");
        Files.writeString(trust, Pem.encode(key.leaf()));
        schema = JsonSchemaCheck.committed();
    }

    record Run(int exit, String out, String err) {
        JsonNode report() throws Exception {
            return JSON.readTree(out.lines().filter(l -> !l.isBlank()).findFirst().orElseThrow(() -> new AssertionError("no output; " + err)));
        }

        JsonNode host() throws Exception {
            return report().get("hosts").get(0);
        }
    }

    static Run check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", "--trust", trust.toString(), "--name", "localhost"));
        int exit = CheckCommand.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** What must be equal between two checks of equally configured servers. */
    static List<Object> essence(JsonNode r) {
        JsonNode h = r.get("hosts").get(0);
        TreeSet<String> codes = new TreeSet<>();
        h.get("findings").forEach(f -> codes.add(f.get("severity").asText() + " " + f.get("code").asText()));
        return List.of(r.get("verdict").asText(), h.get("starttls").asText(), h.get("protocols").toString(),
                h.get("suites").toString(), h.get("groups").toString(), h.get("untested").toString(), codes,
                h.get("certificate_message").toString(), h.get("extended_master_secret").toString());
    }

    @Test
    void implicitTlsIsProbedAndJudgedFromATargetAndFromTheOption() throws Exception {
        try (LimitedMailServer s = new LimitedMailServer(key, LimitedMailServer.Mode.IMPLICIT, 100, 0, 0)) {
            Run scheme = check("smtps://127.0.0.1:" + s.port());
            JsonNode r = scheme.report();
            assertThat(schema.violations(r)).isEmpty();
            assertThat(r.get("target").asText()).isEqualTo("smtps://127.0.0.1:" + s.port());
            JsonNode h = scheme.host();
            assertThat(h.get("starttls").asText()).as(scheme.out).isEqualTo("ESTABLISHED");
            assertThat(h.get("protocols").toString()).contains("TLS 1.2", "TLS 1.3").doesNotContain("TLS 1.0");
            assertThat(h.get("trust").get("status").asText()).isEqualTo("TRUSTED");
            assertThat(h.get("untested")).isEmpty();
            assertThat(r.get("incomplete").asBoolean()).isFalse();
            // the handshake facts item 1 reports, as JSSE 25 serves them
            assertThat(h.get("certificate_message").get("kind").asText()).isEqualTo("PRESENT");
            assertThat(h.get("extended_master_secret").asBoolean()).isTrue();
            assertThat(h.get("compression").asBoolean()).isFalse();
            assertThat(h.get("secure_renegotiation").asBoolean()).isTrue();
            assertThat(h.get("dh_min_bits").isNull() || h.get("dh_min_bits").asInt() >= 2048).isTrue();
            assertThat(h.get("server_cipher_order").has("TLS 1.2")).as(h.toString()).isTrue();

            Run option = check("--implicit-tls", "127.0.0.1:" + s.port());
            assertThat(essence(option.report())).isEqualTo(essence(r));
            assertThat(option.exit()).isEqualTo(scheme.exit());

            // the default is still STARTTLS: the prober waits for a greeting that an implicit-TLS port never sends
            Run starttls = check("127.0.0.1:" + s.port(), "--timeout", "1");
            assertThat(starttls.host().get("starttls").asText()).isNotEqualTo("ESTABLISHED");
            assertThat(starttls.exit()).isEqualTo(2);
        }
    }

    @Test
    void plainTlsWithStarttlsNoneAndTlsScheme() throws Exception {
        try (LimitedMailServer s = new LimitedMailServer(key, LimitedMailServer.Mode.PLAIN, 100, 0, 0)) {
            Run none = check("--starttls", "none", "127.0.0.1:" + s.port());
            assertThat(schema.violations(none.report())).isEmpty();
            assertThat(none.host().get("starttls").asText()).as(none.out).isEqualTo("ESTABLISHED");
            assertThat(none.host().get("protocols").toString()).contains("TLS 1.3");
            Run scheme = check("tls://127.0.0.1:" + s.port());
            assertThat(essence(scheme.report())).isEqualTo(essence(none.report()));
        }
    }

    @Test
    void starttlsStaysTheDefaultAndTheOptionsAreChecked() throws Exception {
        try (LimitedMailServer s = new LimitedMailServer(key, LimitedMailServer.Mode.STARTTLS, 100, 0, 0)) {
            Run plain = check("127.0.0.1:" + s.port());
            assertThat(plain.host().get("starttls").asText()).isEqualTo("ESTABLISHED");
            assertThat(essence(check("--starttls", "smtp", "127.0.0.1:" + s.port()).report())).isEqualTo(essence(plain.report()));
            assertThat(essence(check("smtp://127.0.0.1:" + s.port()).report())).isEqualTo(essence(plain.report()));
        }
        assertThat(check("--starttls", "imap", "127.0.0.1:25").exit()).isEqualTo(2);
        Run both = check("--starttls", "smtp", "--implicit-tls", "127.0.0.1:25");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err).contains("not both");
        assertThat(check("--max-conn", "0", "127.0.0.1:25").exit()).isEqualTo(2);
    }

    @Test
    void aReceiverLimitedToFiveConnectionsGetsTheSameResultAsAnUnlimitedOne() throws Exception {
        try (LimitedMailServer free = new LimitedMailServer(key, LimitedMailServer.Mode.STARTTLS, 1000, 50, 0);
             LimitedMailServer limited = new LimitedMailServer(key, LimitedMailServer.Mode.STARTTLS, 5, 50, 0)) {
            Run reference = check("127.0.0.1:" + free.port(), "--max-conn", "16");
            assertThat(free.turnedAway.get()).isZero();
            assertThat(free.maxSeen.get()).as("the reference run really opens more than 5 at once").isGreaterThan(5);
            Run run = check("127.0.0.1:" + limited.port(), "--max-conn", "16");
            assertThat(limited.turnedAway.get()).as("the limit was hit, so the retries were needed").isPositive();
            assertThat(limited.maxSeen.get()).isLessThanOrEqualTo(5);
            assertThat(run.report().get("incomplete").asBoolean()).as(run.out).isFalse();
            assertThat(essence(run.report())).isEqualTo(essence(reference.report()));
            assertThat(run.exit()).isEqualTo(reference.exit());
            assertThat(schema.violations(run.report())).isEmpty();
        }
    }

    @Test
    void aReceiverThatKeepsRefusingIsReportedIncompleteNeverCompliant() throws Exception {
        try (LimitedMailServer stingy = new LimitedMailServer(key, LimitedMailServer.Mode.STARTTLS, 1000, 0, 4)) {
            long start = System.nanoTime();
            Run run = check("127.0.0.1:" + stingy.port());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            JsonNode r = run.report();
            assertThat(r.get("incomplete").asBoolean()).as(run.out).isTrue();
            assertThat(r.get("verdict").asText()).isNotEqualTo("COMPLIANT");
            assertThat(run.exit()).isNotZero();
            assertThat(run.host().get("untested").toString()).contains("421").contains("kept turning connections away");
            assertThat(seconds).as("gives up in seconds, not minutes").isLessThan(40);
            assertThat(schema.violations(r)).isEmpty();
        }
    }
}
