package dev.doublelock.relay.e2e;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
import dev.doublelock.relay.DeliveryEngine;
import dev.doublelock.relay.DeliveryWorkers;
import dev.doublelock.relay.Relay;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.testing.RawSmtpClient;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A remote that refuses RCPT with a long multi-line 550 (ten lines of ~450 octets, one of them a single 450-octet
 * token; ~4,600 octets in all, as the issue measured): the relay's DSN keeps the whole reply, folded within RFC
 * 5322's 998-octet lines, and reaches the sender through doublelock's own intake (a second relay, which refuses
 * lines over 998 octets) and through a real Postfix.
 */
@Timeout(120)
class LongReplyDsnTest {
    static final List<String> LONG_REPLY = longReply();

    @TempDir
    Path dir;
    SmtpServer refusing;
    Relay receivingRelay;

    @BeforeEach
    void refusingRemote() throws Exception {
        refusing = SmtpServer.builder().hostName("mx.far.test").startTls(new StartTlsSupport.NotAdvertised())
                .handlerFactory(info -> new SessionHandler() {
                    @Override
                    public Reply onRcpt(MailPath to, Map<String, String> params) {
                        return new Reply(550, "5.7.1", LONG_REPLY);
                    }
                }).build().start();
        receivingRelay = Relay.start(RelayConfig.parse("""
                {"dataDir": "%s", "submission": {"listen": "off"}, "relay": {"listen": "127.0.0.1:0"},
                 "metrics": {"listen": "off"}}
                """.formatted(dir.resolve("receiving")), "receiving"), (s, o) -> DeliveryEngine.QUEUE_ONLY, n -> { });
    }

    @AfterEach
    void stop() {
        if (receivingRelay != null) receivingRelay.close();
        if (refusing != null) refusing.close();
    }

    @Test
    void theDsnKeepsTheWholeReplyFoldedAndReachesTheSenderThroughDoublelocksOwnIntake() throws Exception {
        int intake = receivingRelay.relayAddress().orElseThrow().getPort();
        try (Relay relay = Relay.start(RelayConfig.parse(config("sender.test", intake), "sending"), new DeliveryWorkers(),
                n -> { })) {
            submit(relay, "alice@sender.test");
            QueuedMessage dsn = awaitOne(receivingRelay, Duration.ofSeconds(30));
            assertThat(dsn.envelope().nullSender()).isTrue();
            assertThat(dsn.envelope().recipients()).containsExactly("alice@sender.test");
            String text = new String(receivingRelay.store().messageBytes(dsn.id()), StandardCharsets.UTF_8);
            assertWhole(text);
        }
    }

    @Test
    void theSameDsnReachesTheSenderThroughPostfix() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and /usr/sbin/postfix");
        Path pki = Files.createTempDirectory(Path.of("/tmp"), "doublelock-longreply-");
        Files.setPosixFilePermissions(pki, PosixFilePermissions.fromString("rwxr-xr-x"));
        CertifiedKey key = new CertificateBuilder().dnsNames("localhost").build();
        Path chain = pki.resolve("chain.pem");
        Path keyPem = pki.resolve("key.pem");
        Pem.write(chain, Pem.encode(key.chain()));
        Pem.write(keyPem, Pem.encode(key.privateKey()));
        int port = PostfixInstance.freePort();
        try (PostfixInstance postfix = PostfixInstance.receiver(port, "pf-sender.test", chain, keyPem, Map.of()).start();
             Relay relay = Relay.start(RelayConfig.parse(config("pf-sender.test", port), "sending"),
                     new DeliveryWorkers(), n -> { })) {
            submit(relay, "bob@pf-sender.test");
            Optional<String> stored = postfix.awaitLogLine(Pattern.compile("to=<bob@pf-sender\\.test>, .*status=sent"),
                    Duration.ofSeconds(40));
            assertThat(stored).as("Postfix's log:%n%s", postfix.maillog()).isPresent();
            List<String> messages = postfix.storedMessages();
            assertThat(messages).hasSize(1);
            assertWhole(messages.getFirst().replace("\n", "\r\n"));
        }
    }

    private static void assertWhole(String dsn) {
        assertThat(dsn.split("\r\n")).as("no line over 998 octets").allMatch(l -> l.getBytes(StandardCharsets.UTF_8).length <= 998);
        assertThat(dsn).contains("Action: failed").contains("Status: 5.7.1");
        int at = dsn.indexOf("Diagnostic-Code: smtp; ");
        assertThat(at).isPositive();
        StringBuilder field = new StringBuilder();
        for (String line : dsn.substring(at).split("\r\n")) {
            if (field.length() > 0 && !line.startsWith(" ") && !line.startsWith("\t")) break;
            field.append(line);
        }
        String unfolded = field.toString().replaceAll("\\s+", " ");
        for (int i = 0; i < LONG_REPLY.size(); i++) {
            String wireLine = "550" + (i == LONG_REPLY.size() - 1 ? " " : "-") + "5.7.1 " + LONG_REPLY.get(i);
            assertThat(unfolded.replace(" ", "")).as("line %d of the reply is in the DSN", i + 1)
                    .contains(wireLine.replace(" ", ""));
        }
        assertThat(field.length()).as("the whole reply, not its first line").isGreaterThan(4_000);
    }

    private static void submit(Relay relay, String from) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(relay.relayAddress().orElseThrow())) {
            assertThat(RawSmtpClient.code(c.reply())).isEqualTo(220);
            assertThat(RawSmtpClient.code(c.command("EHLO client.test"))).isEqualTo(250);
            assertThat(c.deliver(from, "carol@far.test", "From: <" + from + ">\r\nTo: <carol@far.test>\r\n"
                    + "Subject: long reply\r\nMessage-ID: <long-reply@sender.test>\r\n\r\nhello\r\n")).isEqualTo(250);
        }
    }

    private String config(String senderDomain, int senderPort) {
        return """
                {"dataDir": "%s", "hostName": "relay.test", "submission": {"listen": "off"},
                 "relay": {"listen": "127.0.0.1:0"}, "metrics": {"listen": "off"},
                 "policy": {"default": "opportunistic"},
                 "routes": {"far.test": ["[127.0.0.1]:%d"], "%s": ["[127.0.0.1]:%d"]},
                 "delivery": {"pollIntervalMillis": 100}}
                """.formatted(dir.resolve("sending-" + senderDomain), refusing.port(), senderDomain, senderPort);
    }

    private static QueuedMessage awaitOne(Relay r, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            List<QueuedMessage> all = r.store().list(Set.of(State.QUEUED), 10);
            if (!all.isEmpty()) return all.getFirst();
            Thread.sleep(100);
        }
        throw new AssertionError("no DSN arrived within " + within);
    }

    private static List<String> longReply() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            StringBuilder sb = new StringBuilder("Line " + i + " of a policy explanation:");
            while (sb.length() < 440) sb.append(" this remote explains at length why it refuses the message");
            lines.add(i == 5 ? "https://policy.far.test/" + "x".repeat(420) : sb.toString());
        }
        return lines;
    }
}
