package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code doublelock relay impact} on a real SQLite queue whose attempt history holds testing mode's would-be
 * refusals: three messages to two domains in the last hours, one more a week and a half ago, one good delivery.
 */
class RelayImpactCommandTest {
    @TempDir
    static Path dir;
    static String url;
    static Path config;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new RelayCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Attempt attempt(Instant at, String domain, List<String> codes, boolean wouldRefuse) {
        return new Attempt(at, "mx." + domain, "127.0.0.1", "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "bsi: NON_COMPLIANT (testing mode: delivered anyway)", codes, "", 250, "2.0.0", "250 ok",
                Duration.ofMillis(40), "delivered", domain, wouldRefuse ? codes : List.of(), wouldRefuse);
    }

    @BeforeAll
    static void fill() throws Exception {
        url = dir.resolve("queue.db").toString();
        config = dir.resolve("relay.json");
        Files.writeString(config, "{\"dataDir\": \"" + dir.resolve("data") + "\", \"policy\": {\"mode\": \"testing\"}}");
        Instant now = Instant.now();
        try (QueueStore store = QueueStores.open(url)) {
            byte[] body = "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 2; i++) {
                long id = store.enqueue(new Envelope("a@client.example", List.of("r" + i + "@old-tls.example")), body);
                store.recordAttempt(id, attempt(now.minus(Duration.ofHours(2 + i)), "old-tls.example",
                        List.of("PROTOCOL_NOT_RECOMMENDED"), true));
            }
            long expired = store.enqueue(new Envelope("a@client.example", List.of("x@expired.example")), body);
            store.recordAttempt(expired, attempt(now.minus(Duration.ofMinutes(30)), "expired.example",
                    List.of("EXPIRED_CERTIFICATE", "WEAK_KEY"), true));
            long longAgo = store.enqueue(new Envelope("a@client.example", List.of("y@gone.example")), body);
            store.recordAttempt(longAgo, attempt(now.minus(Duration.ofDays(10)), "gone.example",
                    List.of("NO_STARTTLS"), true));
            long fine = store.enqueue(new Envelope("a@client.example", List.of("z@fine.example")), body);
            store.recordAttempt(fine, attempt(now.minus(Duration.ofMinutes(5)), "fine.example", List.of(), false));
        }
    }

    @Test
    void printsTheImpactReportInWordsWithTheTopDomainsFirst() {
        Run r = run("impact", "--config", config.toString(), "--queue", url);
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("Impact report, mode testing, ").endsWith(" UTC");
        assertThat(lines.get(1)).isEqualTo("If you enforced now: 3 messages to 2 domains would wait (of 4 messages "
                + "delivered or tried in the last 7 days).");
        assertThat(lines.get(2)).isEqualTo("Domains and why:");
        assertThat(lines.get(3)).matches("  old-tls\\.example\\s+2 messages  \\(last \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\)");
        assertThat(lines.get(4)).matches("\\s+2  the receiving server uses an outdated TLS version "
                + "\\[PROTOCOL_NOT_RECOMMENDED]");
        assertThat(lines.get(5)).startsWith("  expired.example").contains("1 message ");
        assertThat(r.out()).contains("1  the receiving server's certificate expired [EXPIRED_CERTIFICATE]",
                        "1  the receiving server's key is too short to be safe [WEAK_KEY]", "testing mode")
                .doesNotContain("gone.example").doesNotContain("fine.example");
    }

    @Test
    void sinceWidensOrNarrowsTheWindowAndTopCutsTheList() {
        Run wide = run("impact", "--config", config.toString(), "--queue", url, "--since", "2w", "--top", "1");
        assertThat(wide.out()).contains("If you enforced now: 4 messages to 3 domains would wait")
                .contains("Top 1 of 3 domains and why:").contains("old-tls.example").doesNotContain("gone.example");
        Run narrow = run("impact", "--config", config.toString(), "--queue", url, "--since", "1h");
        assertThat(narrow.out()).contains("If you enforced now: 1 message to 1 domain would wait (of 2 messages "
                + "delivered or tried in the last hour).").doesNotContain("old-tls.example");
        Run none = run("impact", "--config", config.toString(), "--queue", url, "--since", "60s");
        assertThat(none.out()).contains("No delivery was attempted in the last minute: there is nothing to judge "
                + "enforcing by.");
    }

    @Test
    void jsonIsThePagesImpactObject() throws Exception {
        Run r = run("impact", "--config", config.toString(), "--queue", url, "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertThat(j.get("mode").asText()).isEqualTo("testing");
        assertThat(j.get("messages").asLong()).isEqualTo(3);
        assertThat(j.get("domains").asLong()).isEqualTo(2);
        assertThat(j.get("attempts").asLong()).isEqualTo(4);
        assertThat(j.get("top").get(0).get("domain").asText()).isEqualTo("old-tls.example");
        assertThat(j.get("top").get(0).get("reasons").get(0).get("code").asText()).isEqualTo("PROTOCOL_NOT_RECOMMENDED");
        assertThat(j.get("top").get(1).get("reasons")).extracting(n -> n.get("code").asText())
                .containsExactly("EXPIRED_CERTIFICATE", "WEAK_KEY");
        assertThat(Instant.parse(j.get("to").asText())).isAfter(Instant.parse(j.get("from").asText()));
    }

    @Test
    void badOptionsAndAMissingQueueGetOneClearLine() {
        Run bad = run("impact", "--queue", url, "--since", "7 days");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--since: '7 days' is not a time length").contains("7d");
        Run missing = run("impact", "--queue", dir.resolve("none.db").toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(dir.resolve("none.db")).doesNotExist();
    }
}
