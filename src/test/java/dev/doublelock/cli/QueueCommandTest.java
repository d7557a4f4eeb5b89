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
    void listShowsWhatWaitsWithEachRecipientsReasonAndASummaryLikePostqueue() {
        try (QueueStore store = QueueStores.open(url)) {
            store.noteReasons(deferred, java.util.Map.of("bob@lab.example", "4.7.5 TLS refused by policy at "
                    + "mx.lab.example: the receiving server uses only encryption methods that are not recommended "
                    + "[CIPHER_NOT_RECOMMENDED]"));
            long done = store.enqueue(new Envelope("dave@client.example", List.of("erin@lab.example")),
                    "y\r\n".getBytes(StandardCharsets.US_ASCII));
            store.markDelivered(done, java.util.Map.of("erin@lab.example", dev.doublelock.queue.RecipientState.DELIVERED));
            store.claimDue("node-1", Instant.now(), 1, Duration.ofMinutes(5)); // fresh: being delivered
        }
        Run r = run(new QueueCommand(), "list", "--queue", url);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("-Queue ID- --Size-- ----Arrival Time----  -Sender/Recipient-------")
                .contains(deferred + " ").contains("alice@client.example").contains("bob@lab.example")
                .contains("(4.7.5 TLS refused by policy at mx.lab.example:").contains("[CIPHER_NOT_RECOMMENDED])")
                .contains(fresh + "* ").as("being delivered: *").contains("MAILER-DAEMON")
                .doesNotContain("erin@lab.example").as("delivered mail is not listed by default")
                .contains("in 2 Requests.");
        assertThat(r.out().lines().filter(l -> l.length() > 80)).as("reasons are wrapped").isEmpty();
        Run all = run(new QueueCommand(), "list", "--queue", url, "--all");
        assertThat(all.out()).contains("erin@lab.example  (delivered)").contains("[DELIVERED, 0 attempts]")
                .contains("in 3 Requests.");
        Run onlyDeferred = run(new QueueCommand(), "list", "--queue", url, "--state", "deferred");
        assertThat(onlyDeferred.out()).contains("bob@lab.example").doesNotContain("carol@lab.example");
    }

    @Test
    void listAsJsonLinesOneObjectPerMessage() throws Exception {
        try (QueueStore store = QueueStores.open(url)) {
            store.noteReasons(deferred, java.util.Map.of("bob@lab.example", "4.7.5 TLS refused by policy at mx: "
                    + "expired [EXPIRED_CERTIFICATE]; weak [WEAK_KEY]"));
        }
        Run r = run(new QueueCommand(), "list", "--queue", url, "--json");
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        assertThat(first.get("queue_id").asLong()).isEqualTo(deferred);
        assertThat(first.get("queue_name").asText()).isEqualTo("deferred");
        assertThat(first.get("state").asText()).isEqualTo("DEFERRED");
        assertThat(first.get("sender").asText()).isEqualTo("alice@client.example");
        JsonNode rcpt = first.get("recipients").get(0);
        assertThat(rcpt.get("address").asText()).isEqualTo("bob@lab.example");
        assertThat(rcpt.get("status").asText()).isEqualTo("PENDING");
        assertThat(rcpt.get("delay_reason").asText()).contains("EXPIRED_CERTIFICATE");
        assertThat(rcpt.get("finding_codes")).extracting(JsonNode::asText).containsExactly("EXPIRED_CERTIFICATE", "WEAK_KEY");
        JsonNode second = Json.MAPPER.readTree(lines.get(1));
        assertThat(second.get("queue_name").asText()).as("never tried yet").isEqualTo("incoming");
        assertThat(second.get("sender").asText()).isEmpty();
    }

    @Test
    void listReadsAQueueOfAnySizePageByPage() {
        try (QueueStore store = QueueStores.open(url)) {
            for (int i = 0; i < 1_100; i++) {
                store.enqueue(new Envelope("bulk@client.example", List.of("r" + i + "@lab.example")),
                        "z\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        Run r = run(new QueueCommand(), "list", "--queue", url);
        assertThat(r.out()).contains("r0@lab.example").contains("r1099@lab.example").contains("in 1102 Requests.");
        assertThat(run(new QueueCommand(), "list", "--queue", url, "--limit", "3").out()).contains("in 3 Requests.");
        assertThat(run(new QueueCommand(), "list", "--queue", url, "--state", "bounced").out())
                .isEqualToIgnoringNewLines("No messages in [BOUNCED]");
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
    void showSaysWhichDomainAnAttemptWasForAndWhatTestingModeWouldHaveRefused() throws Exception {
        try (QueueStore store = QueueStores.open(url)) {
            store.recordAttempt(fresh, new Attempt(Instant.parse("2026-01-02T03:04:05Z"), "mx.lab.example", "127.0.0.1",
                    "TLSv1.3", "TLS_AES_128_GCM_SHA256", "bsi: NON_COMPLIANT (testing mode: delivered anyway)",
                    List.of("EXPIRED_CERTIFICATE", "NO_DANE"), "", 250, "2.0.0", "250 2.0.0 OK", Duration.ofMillis(80),
                    "delivered", "lab.example", List.of("EXPIRED_CERTIFICATE"), true));
        }
        Run r = run(new QueueCommand(), "show", "--queue", url, Long.toString(fresh));
        assertThat(r.out()).contains("delivered (testing mode: the policy would have refused [EXPIRED_CERTIFICATE])  "
                + "lab.example via mx.lab.example [127.0.0.1]");
        JsonNode a = Json.MAPPER.readTree(run(new QueueCommand(), "show", "--queue", url, "--json", Long.toString(fresh))
                .out()).get("attempt_history").get(0);
        assertThat(a.get("domain").asText()).isEqualTo("lab.example");
        assertThat(a.get("would_refuse").asBoolean()).isTrue();
        assertThat(a.get("refusal_codes")).extracting(JsonNode::asText).containsExactly("EXPIRED_CERTIFICATE");
        JsonNode old = Json.MAPPER.readTree(run(new QueueCommand(), "show", "--queue", url, "--json",
                Long.toString(deferred)).out()).get("attempt_history").get(0);
        assertThat(old.get("domain").isNull()).as("recorded without a domain").isTrue();
        assertThat(old.get("would_refuse").asBoolean()).isFalse();
    }

    @Test
    void retryDeleteAndBounceChangeTheState() {
        assertThat(run(new QueueCommand(), "retry", "--queue", url, Long.toString(deferred)).out()).contains("now QUEUED");
        Run bounce = run(new QueueCommand(), "bounce", "--queue", url, Long.toString(deferred));
        assertThat(bounce.out()).contains("bounced bob@lab.example").contains("notice to <alice@client.example> is queued as");
        Run again = run(new QueueCommand(), "retry", "--queue", url, Long.toString(deferred));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("is BOUNCED").contains("does not apply");
        assertThat(run(new QueueCommand(), "bounce", "--queue", url, Long.toString(deferred)).exit()).isEqualTo(1);
        assertThat(run(new QueueCommand(), "delete", "--queue", url, Long.toString(fresh)).out()).contains("now DELETED");
        try (QueueStore store = QueueStores.open(url)) {
            assertThat(store.find(deferred).orElseThrow().state()).isEqualTo(State.BOUNCED);
            assertThat(store.find(fresh).orElseThrow().state()).isEqualTo(State.DELETED);
        }
    }

    @Test
    void bounceSendsTheSenderADsnThroughTheQueue() {
        try (QueueStore store = QueueStores.open(url)) {
            store.noteReasons(deferred, java.util.Map.of("bob@lab.example", "4.7.5 TLS refused by policy at "
                    + "mx.lab.example: [CIPHER_NOT_RECOMMENDED]"));
        }
        Path config = writeConfig("{\"queue\": \"" + url + "\", \"hostName\": \"relay.example.org\"}");
        Run r = run(new QueueCommand(), "bounce", "--config", config.toString(), Long.toString(deferred));
        assertThat(r.exit()).as(r.err()).isZero();
        try (QueueStore store = QueueStores.open(url)) {
            long dsnId = Long.parseLong(r.out().replaceAll("(?s).*queued as (\\d+).*", "$1"));
            var dsn = store.find(dsnId).orElseThrow();
            assertThat(dsn.state()).isEqualTo(State.QUEUED);
            assertThat(dsn.envelope().nullSender()).as("a DSN has the null sender").isTrue();
            assertThat(dsn.envelope().recipients()).containsExactly("alice@client.example");
            String text = new String(store.messageBytes(dsnId), StandardCharsets.UTF_8);
            assertThat(text).contains("From: Mail Delivery System <postmaster@relay.example.org>")
                    .contains("report-type=delivery-status").contains("Final-Recipient: rfc822; bob@lab.example")
                    .contains("Action: failed").contains("Status: 5.0.0").contains("Reporting-MTA: dns; relay.example.org")
                    .contains("gave up on delivering it").contains("CIPHER_NOT_RECOMMENDED")
                    .contains("Message-ID: <m1@client.example>");
            assertThat(store.find(deferred).orElseThrow().reason()).isEqualTo("returned to the sender by the operator");
        }
        Run nullSender = run(new QueueCommand(), "bounce", "--queue", url, Long.toString(fresh));
        assertThat(nullSender.exit()).isZero();
        assertThat(nullSender.out()).contains("no notice (null sender)");
    }

    @Test
    void holdReleaseAndFlush() {
        Run hold = run(new QueueCommand(), "hold", "--queue", url, Long.toString(deferred));
        assertThat(hold.out()).contains("on hold (now HELD)");
        assertThat(run(new QueueCommand(), "list", "--queue", url).out()).contains(deferred + "! ");
        assertThat(run(new QueueCommand(), "flush", "--queue", url).out()).as("fresh only; the held one stays held")
                .contains("1 message is due now");
        assertThat(run(new QueueCommand(), "hold", "--queue", url, Long.toString(deferred)).exit()).isEqualTo(1);
        assertThat(run(new QueueCommand(), "release", "--queue", url, Long.toString(deferred)).out())
                .contains("released, due now (now QUEUED)");
        try (QueueStore store = QueueStores.open(url)) {
            store.defer(deferred, Instant.now().plusSeconds(3600), "later");
        }
        assertThat(run(new QueueCommand(), "flush", "--queue", url).out()).contains("2 messages are due now");
        try (QueueStore store = QueueStores.open(url)) {
            assertThat(store.find(deferred).orElseThrow().nextAttemptAt()).isBefore(Instant.now().plusSeconds(5));
        }
    }

    @Test
    void tlsrptPreviewPrintsOneRfc8460ReportPerDomainForTheDay() throws Exception {
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        try (QueueStore store = QueueStores.open(url)) {
            Attempt a = new Attempt(at, "mx.lab.example", "127.0.0.1", null, null, "FAIL", List.of("EXPIRED_CERTIFICATE"),
                    "", 0, null, null, Duration.ofMillis(10), "refused");
            store.recordAttempt(deferred, a, new dev.doublelock.tlsrpt.SessionResult(at, "no-policy-found", List.of(),
                    "lab.example", "mx.lab.example", java.util.Optional.of(new dev.doublelock.tlsrpt.SessionResult.Failure(
                    "certificate-expired", "", "mx.lab.example", "127.0.0.1", "EXPIRED_CERTIFICATE"))));
        }
        Path config = writeConfig("{\"queue\": \"" + url + "\", \"hostName\": \"relay.example.org\"}");
        Run r = run(new TlsRptCommand(), "preview", "--config", config.toString(), "--day", "2026-12-01");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode report = Json.MAPPER.readTree(r.out());
        assertThat(report.get("organization-name").asText()).isEqualTo("relay.example.org");
        assertThat(report.get("report-id").asText()).isEqualTo("2026-12-01.lab.example@relay.example.org");
        assertThat(report.at("/policies/0/policy/policy-domain").asText()).isEqualTo("lab.example");
        assertThat(report.at("/policies/0/failure-details/0/result-type").asText()).isEqualTo("certificate-expired");
        Run none = run(new TlsRptCommand(), "preview", "--config", config.toString(), "--day", "2026-11-30");
        assertThat(none.exit()).isZero();
        assertThat(none.err()).contains("no delivery sessions recorded on 2026-11-30");
    }

    private Path writeConfig(String json) {
        try {
            return Files.writeString(dir.resolve("relay-" + System.nanoTime() + ".json"), json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
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
