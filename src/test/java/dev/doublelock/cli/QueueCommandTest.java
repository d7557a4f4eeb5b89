package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.State;
import dev.doublelock.relay.intake.PasswordHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue and relay hash-password commands against a real SQLite queue. */
class QueueCommandTest {
    @TempDir
    Path dir;
    String url;
    long deferred;
    long fresh;

    record Run(int exit, String out, String err) {
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void fill() {
        url = dir.resolve("q.db").toString();
        try (QueueStore store = QueueStores.open(url)) {
            deferred = store.enqueue(new Envelope("alice@client.example", List.of("bob@lab.example")),
                    "Message-ID: <m1@client.example>\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
            fresh = store.enqueue(new Envelope("", List.of("carol@lab.example")), "x\r\n".getBytes(StandardCharsets.US_ASCII));
            store.claimDue("node-1", Instant.now(), 1, Duration.ofMinutes(5));
            store.recordAttempt(deferred, new Attempt(Instant.parse("2026-01-02T03:04:05Z"), "mx.lab.example", "127.0.0.1",
                    "TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256", "FAIL", List.of("CIPHER_NOT_RECOMMENDED"),
                    "the receiving server uses static RSA key exchange", 0, null, null, Duration.ofMillis(120), "refused"));
            store.defer(deferred, Instant.now().plusSeconds(600), "policy bsi refused every MX");
        }
    }

    @Test
    void listShowsEveryMessageOrOnlyTheGivenStates() {
        Run all = run(new QueueCommand(), "list", "--queue", url);
        assertThat(all.exit()).isZero();
        assertThat(all.out()).contains("DEFERRED").contains("QUEUED").contains("bob@lab.example").contains("<>");
        Run onlyDeferred = run(new QueueCommand(), "list", "--queue", url, "--state", "deferred");
        assertThat(onlyDeferred.out()).contains("bob@lab.example").doesNotContain("carol@lab.example");
    }

    @Test
    void listAsJson() throws Exception {
        Run r = run(new QueueCommand(), "list", "--queue", url, "--json");
        JsonNode rows = Json.MAPPER.readTree(r.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("id").asLong()).isEqualTo(deferred);
        assertThat(rows.get(0).get("state").asText()).isEqualTo("DEFERRED");
        assertThat(rows.get(0).get("recipients").get("bob@lab.example").asText()).isEqualTo("PENDING");
        assertThat(rows.get(1).get("mail_from").asText()).isEmpty();
    }

    @Test
    void showPrintsTheReplyCodeOnce() throws Exception {
        try (QueueStore store = QueueStores.open(url)) {
            // as the delivery worker records a refusal: replyText is Reply.summary(), code and status included
            store.recordAttempt(fresh, new Attempt(Instant.parse("2026-01-02T03:04:05Z"), "mx.lab.example", "127.0.0.1",
                    "TLSv1.3", "TLS_AES_128_GCM_SHA256", "PASS", List.of(), "", 550, "5.1.1",
                    "550 5.1.1 No such user", Duration.ofMillis(80), "bounced"));
        }
        Run r = run(new QueueCommand(), "show", "--queue", url, Long.toString(fresh));
        assertThat(r.out()).contains("550 5.1.1 No such user").doesNotContain("550 5.1.1 550");
        JsonNode json = Json.MAPPER.readTree(run(new QueueCommand(), "show", "--queue", url, "--json",
                Long.toString(fresh)).out());
        assertThat(json.findValue("reply").asText()).isEqualTo("550 5.1.1 No such user");
        assertThat(QueueCommand.reply(new Attempt(Instant.EPOCH, "mx", "ip", null, null, "PASS", List.of(), "", 451, null,
                "try later", Duration.ZERO, "deferred"))).isEqualTo("451 try later");
    }

    @Test
    void showPrintsEnvelopeStateAndAttemptsWithTheirVerdict() throws Exception {
        Run r = run(new QueueCommand(), "show", "--queue", url, Long.toString(deferred));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("state:       DEFERRED (policy bsi refused every MX)")
                .contains("from:        alice@client.example").contains("to:          bob@lab.example  PENDING")
                .contains("<m1@client.example>").contains("mx.lab.example [127.0.0.1]")
                .contains("TLSv1.2 TLS_RSA_WITH_AES_128_GCM_SHA256").contains("FAIL [CIPHER_NOT_RECOMMENDED]")
                .contains("static RSA key exchange");
        JsonNode json = Json.MAPPER.readTree(run(new QueueCommand(), "show", "--queue", url, "--json", Long.toString(deferred)).out());
        assertThat(json.get("attempt_history").get(0).get("findings").get(0).asText()).isEqualTo("CIPHER_NOT_RECOMMENDED");
        assertThat(json.get("attempt_history").get(0).get("outcome").asText()).isEqualTo("refused");
    }

    @Test
    void retryDeleteAndBounceChangeTheState() {
        assertThat(run(new QueueCommand(), "retry", "--queue", url, Long.toString(deferred)).out()).contains("now QUEUED");
        assertThat(run(new QueueCommand(), "bounce", "--queue", url, Long.toString(deferred)).out()).contains("now BOUNCED");
        Run again = run(new QueueCommand(), "retry", "--queue", url, Long.toString(deferred));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("is BOUNCED").contains("does not apply");
        assertThat(run(new QueueCommand(), "delete", "--queue", url, Long.toString(fresh)).out()).contains("now DELETED");
        try (QueueStore store = QueueStores.open(url)) {
            assertThat(store.find(deferred).orElseThrow().state()).isEqualTo(State.BOUNCED);
            assertThat(store.find(fresh).orElseThrow().state()).isEqualTo(State.DELETED);
        }
    }

    @Test
    void unknownIdsAndBadConfigsAreClearErrors() throws Exception {
        Run missing = run(new QueueCommand(), "show", "--queue", url, "999");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no message 999");
        Path config = Files.writeString(dir.resolve("relay.json"), "{\"queue\": \"" + url + "\"}");
        assertThat(run(new QueueCommand(), "list", "--config", config.toString()).out()).contains("bob@lab.example");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"queu\": 1}");
        Run badRun = run(new QueueCommand(), "list", "--config", bad.toString());
        assertThat(badRun.exit()).isEqualTo(2);
        assertThat(badRun.err()).contains(bad.toString()).contains("queu").contains("unknown key");
    }

    @Test
    void hashPasswordPrintsAHashThatMatchesOnlyThatPassword() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)));
            Run r = run(new RelayCommand(), "hash-password", "--iterations", "10000");
            assertThat(r.exit()).as(r.err()).isZero();
            PasswordHash hash = PasswordHash.parse(r.out().strip());
            assertThat(hash.iterations()).isEqualTo(10000);
            assertThat(hash.matches("s3cret pass".toCharArray())).isTrue();
            assertThat(hash.matches("s3cret pas".toCharArray())).isFalse();
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertThat(run(new RelayCommand(), "hash-password").exit()).isEqualTo(2);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void relayWithABadConfigExitsWithTheReason() throws Exception {
        Path bad = Files.writeString(dir.resolve("r.json"), "{\"relay\": {\"listen\": \"nowhere\"}}");
        Run r = run(new RelayCommand(), "--config", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(bad.toString()).contains("relay.listen").contains("ADDRESS:PORT");
    }
}
