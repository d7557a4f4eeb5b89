package dev.doublelock.relay.e2e;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
import dev.doublelock.relay.DeliveryWorkers;
import dev.doublelock.relay.Relay;
import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Postfix on both sides of the relay: a Postfix sender hands a message to the relay's relay listener
 * ({@code relayhost}), the relay delivers it under {@code bsi} to a Postfix receiver with a certificate from a
 * test CA (trusted via {@code policy.trust}), which stores it in a Maildir. Needs root and the Debian postfix
 * package; skipped otherwise.
 */
@Timeout(120)
class PostfixRelayInteropTest {
    private static final String DOMAIN = "pf.test";
    private static final String BODY = "Hello Postfix,\n.a line starting with a dot\n..two dots\n\nlast line, "
            + "tab\there, trailing space ";

    @Test
    void postfixSubmitsToTheRelayAndAPostfixReceiverGetsItOverTls() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and /usr/sbin/postfix");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "doublelock-pf-relay-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        CertifiedKey ca = new CertificateBuilder().subject("CN=Postfix Interop Test CA").certificateAuthority(0).build();
        CertifiedKey leaf = new CertificateBuilder().subject("CN=localhost").dnsNames("localhost")
                .ipAddresses("127.0.0.1").issuer(ca).build();
        Path caPem = dir.resolve("ca.pem");
        Path chainPem = dir.resolve("chain.pem");
        Path keyPem = dir.resolve("key.pem");
        Pem.write(caPem, Pem.encode(ca.leaf()));
        Pem.write(chainPem, Pem.encode(leaf.chain()));
        Pem.write(keyPem, Pem.encode(leaf.privateKey()));
        int receiverPort = freePort();

        try (PostfixInstance receiver = PostfixInstance.receiver(receiverPort, DOMAIN, chainPem, keyPem, Map.of()).start();
             Relay relay = Relay.start(RelayConfig.parse(config(dir, caPem, receiverPort), "test"), new DeliveryWorkers(),
                     n -> { });
             PostfixInstance sender = PostfixInstance.create(Map.of(
                     "relayhost", "[127.0.0.1]:" + relay.relayAddress().orElseThrow().getPort(),
                     "smtp_tls_security_level", "may"), List.of()).start()) {
            sender.send("alice@doublelock.test", "bob@" + DOMAIN, "through the relay", "interop-1@doublelock.test", BODY);

            Optional<PostfixInstance.Status> sent = sender.awaitStatus("bob@" + DOMAIN, Duration.ofSeconds(30), "sent");
            assertThat(sent).as("the Postfix sender's log:%n%s", sender.maillog()).isPresent();
            assertThat(sent.get().relay()).isEqualTo("127.0.0.1[127.0.0.1]:" + relay.relayAddress().orElseThrow().getPort());
            assertThat(sent.get().detail()).startsWith("250 2.0.0");

            Optional<String> tls = receiver.awaitLogLine(
                    Pattern.compile("TLS connection established from \\S+: TLSv1\\.[23] "), Duration.ofSeconds(30));
            assertThat(tls).as("the Postfix receiver's log:%n%s", receiver.maillog()).isPresent();
            Optional<String> stored = receiver.awaitLogLine(
                    Pattern.compile("to=<bob@" + Pattern.quote(DOMAIN) + ">, .*status=sent"), Duration.ofSeconds(30));
            assertThat(stored).as("the Postfix receiver's log:%n%s", receiver.maillog()).isPresent();

            List<String> messages = receiver.storedMessages();
            assertThat(messages).hasSize(1);
            String message = messages.get(0);
            assertThat(message).contains("Message-ID: <interop-1@doublelock.test>")
                    .contains("Subject: through the relay")
                    .containsPattern("(?m)^Received: from \\S+ \\(.*127\\.0\\.0\\.1.*\\)\\s+by localhost");
            String headers = message.substring(0, message.indexOf("\n\n"));
            assertThat(headers.split("\\(doublelock", -1)).as("one Received header from one pass through the relay "
                    + "(RFC 5321 §4.4):%n%s", headers).hasSize(2);
            String body = message.substring(message.indexOf("\n\n") + 2);
            assertThat(body).isEqualTo(BODY + "\n"); // PostfixInstance.send ends the body with a line break

            // the receiver logs "sent" as soon as it has the message; the relay records DELIVERED right after the 250
            QueuedMessage queued = relay.store().list(Set.of(), 10).get(0);
            for (int i = 0; i < 100 && queued.state() != State.DELIVERED; i++) {
                Thread.sleep(100);
                queued = relay.store().list(Set.of(), 10).get(0);
            }
            assertThat(queued.state()).isEqualTo(State.DELIVERED);
            List<Attempt> attempts = relay.store().attempts(queued.id());
            Attempt last = attempts.get(attempts.size() - 1);
            assertThat(last.outcome()).isEqualTo("delivered");
            assertThat(last.tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(last.replyCode()).isEqualTo(250);
            System.out.printf("Postfix interop: sender %s; receiver %s; relay attempt %s%n", sent.get().detail(),
                    tls.get().replaceAll("^.*TLS connection", "TLS connection"), attempts.get(attempts.size() - 1));
        }
    }

    private static String config(Path dir, Path caPem, int receiverPort) {
        return """
                {"dataDir": "%s", "submission": {"listen": "off"}, "relay": {"listen": "127.0.0.1:0"},
                 "metrics": {"listen": "off"},
                 "policy": {"default": "bsi", "mode": "enforce", "trust": ["%s"]},
                 "routes": {"%s": ["[127.0.0.1]:%d"]},
                 "delivery": {"pollIntervalMillis": 200}}
                """.formatted(dir.resolve("relay"), caPem, DOMAIN, receiverPort);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
