package dev.doublelock.smtp.server;

import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole conversation over loopback: sequencing, envelope, DATA, pipelining, QUIT. */
class SmtpSessionTest {

    @Test
    void fullSessionDeliversTheMessageWithItsEnvelope() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            Reply ehlo = c.command("EHLO client.example");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).contains("PIPELINING", "SIZE " + SmtpLimits.defaults().maxMessageBytes(),
                    "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES").doesNotContain("STARTTLS");
            assertThat(c.command("MAIL FROM:<alice@example.org> SIZE=100 BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<bob@example.net>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<Postmaster>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            c.send("Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n");
            Reply queued = c.readReply();
            assertThat(queued.code()).isEqualTo(250);
            assertThat(queued.enhancedStatus()).isEqualTo("2.0.0");
            assertThat(c.command("QUIT").code()).isEqualTo(221);
            assertThat(c.isClosedByServer()).isTrue();

            RecordingHandler h = fx.nextHandler();
            assertThat(h.awaitClose()).isEqualTo(CloseReason.QUIT);
            assertThat(h.helos).containsExactly("EHLO client.example");
            ReceivedMessage msg = h.messages.get(0);
            assertThat(msg.from().toWire()).isEqualTo("<alice@example.org>");
            assertThat(msg.recipients()).extracting(MailPath::toWire).containsExactly("<bob@example.net>", "<postmaster>");
            assertThat(msg.mailParameters()).containsEntry("SIZE", "100").containsEntry("BODY", "8BITMIME");
            assertThat(new String(msg.content(), StandardCharsets.UTF_8))
                    .isEqualTo("Subject: hi\r\n\r\n.leading dot\r\nbody\r\n");
            assertThat(msg.receivedOverTls()).isFalse();
            assertThat(msg.heloName()).isEqualTo("client.example");
            assertThat(h.transcript.toString()).contains("C: MAIL FROM:<alice@example.org>", "S: 221");
        }
    }

    @Test
    void commandsOutOfSequenceGet503AndUnknownOnes500Or502() throws Exception {
        try (ServerFixture fx = ServerFixture.withLimits(SmtpLimits.defaults().withMaxErrors(100));
             TestSmtpClient c = fx.client()) {
            assertThat(c.command("MAIL FROM:<a@example.org>").summary()).startsWith("503 5.5.1");
            assertThat(c.command("EHLO").summary()).startsWith("501");
            assertThat(c.command("HELO client.example").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@example.org>").summary()).startsWith("503 5.5.1");
            assertThat(c.command("DATA").summary()).startsWith("503 5.5.1");
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<a@example.org>").summary()).startsWith("503 5.5.1");
            assertThat(c.command("DATA").summary()).startsWith("554 5.5.1");
            assertThat(c.command("RSET").code()).isEqualTo(250);
            assertThat(c.command("RSET now").code()).isEqualTo(501);
            assertThat(c.command("VRFY bob").code()).isEqualTo(252);
            assertThat(c.command("HELP").code()).isEqualTo(214);
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(c.command("EXPN list").summary()).startsWith("502 5.5.1");
            assertThat(c.command("FROB").summary()).startsWith("500 5.5.2");
            assertThat(c.command("STARTTLS").summary()).startsWith("502");
            assertThat(c.command("MAIL FROM:<not an address>").summary()).startsWith("501 5.1.7");
            assertThat(c.command("MAIL FROM:<a@example.org> FOO=bar").summary()).startsWith("555 5.5.4");
            assertThat(c.command("MAIL FROM:<a@example.org> SIZE=ten").summary()).startsWith("501 5.5.4");
            assertThat(c.command("MAIL FROM:<jösé@bücher.example>").summary()).startsWith("553 5.6.7");
            assertThat(c.command("MAIL FROM:<jösé@bücher.example> SMTPUTF8").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<>").summary()).startsWith("501 5.1.3");
            assertThat(c.command("RCPT TO:<ünï@bücher.example>").code()).isEqualTo(250);
            RecordingHandler h = fx.nextHandler();
            assertThat(h.mailCalls.get()).isEqualTo(2);
        }
    }

    @Test
    void invalidUtf8InAddressesIsRefusedAndNeverReachesTheHandler() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            assertThat(c.command("EHLO client.example").code()).isEqualTo(250);
            // a lone continuation byte, an overlong '/', a UTF-16 surrogate: each would become U+FFFD
            c.sendBytes(bytes("MAIL FROM:<a\u0080b@example.org> SMTPUTF8\r\n"));
            assertThat(c.readReply().summary()).startsWith("501 5.1.7");
            assertThat(c.command("MAIL FROM:<j\u00f6rg@example.org> SMTPUTF8").code()).isEqualTo(250);
            c.sendBytes(bytes("RCPT TO:<x\u00c0\u00afy@example.net>\r\n"));
            assertThat(c.readReply().summary()).startsWith("501 5.1.3");
            c.sendBytes(bytes("RCPT TO:<x\u00ed\u00a0\u0080y@example.net>\r\n"));
            assertThat(c.readReply().summary()).startsWith("501 5.1.3");
            c.sendBytes(bytes("EHLO cl\u00ffient.example\r\n"));
            assertThat(c.readReply().summary()).startsWith("500 5.5.2");
            assertThat(c.command("RCPT TO:<\u00fcn\u00ef@b\u00fccher.example>").code()).as("valid UTF-8 still works")
                    .isEqualTo(250);
            RecordingHandler h = fx.nextHandler();
            assertThat(h.mailCalls.get()).isEqualTo(1);
            assertThat(h.rcptCalls.get()).isEqualTo(1);
            assertThat(h.helos).containsExactly("EHLO client.example");
        }
    }

    /** The string's chars as octets (each char U+0000..U+00FF is one octet), to write invalid UTF-8. */
    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            c.command("EHLO client.example");
            c.send("MAIL FROM:<>\r\nRCPT TO:<a@example.org>\r\nRCPT TO:<bad address>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
            List<Reply> replies = c.readReplies(5);
            assertThat(replies).extracting(Reply::code).containsExactly(250, 250, 501, 250, 354);
            c.send("Subject: bounce\r\n\r\nx\r\n.\r\nRSET\r\nNOOP\r\n");
            assertThat(c.readReplies(3)).extracting(Reply::code).containsExactly(250, 250, 250);

            RecordingHandler h = fx.nextHandler();
            assertThat(h.messages).hasSize(1);
            assertThat(h.messages.get(0).from().isNull()).isTrue();
            assertThat(h.messages.get(0).recipients()).hasSize(2);
        }
    }

    @Test
    void tooManyErrorsEndTheSessionWith421() throws Exception {
        try (ServerFixture fx = ServerFixture.withLimits(SmtpLimits.defaults().withMaxErrors(3));
             TestSmtpClient c = fx.client()) {
            assertThat(c.command("FROB").code()).isEqualTo(500);
            assertThat(c.command("FROB").code()).isEqualTo(500);
            assertThat(c.readReplyAfter("FROB")).extracting(Reply::code).containsExactly(500, 421);
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(fx.nextHandler().awaitClose()).isEqualTo(CloseReason.TOO_MANY_ERRORS);
        }
    }

    @Test
    void closingTheServerEndsOpenSessions() throws Exception {
        ServerFixture fx = ServerFixture.plain();
        try (TestSmtpClient c = fx.client()) {
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            fx.close();
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(fx.nextHandler().awaitClose()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
        }
    }

    @Test
    void handlerFailureBecomes451AndTheSessionGoesOn() throws Exception {
        try (SmtpServer server = SmtpServer.builder().handlerFactory(info -> new SessionHandler() {
            @Override
            public Reply onMail(MailPath from, java.util.Map<String, String> params) {
                throw new IllegalStateException("boom");
            }
        }).build().start(); TestSmtpClient c = TestSmtpClient.connectGreeted(server.port())) {
            c.command("EHLO x.example");
            assertThat(c.command("MAIL FROM:<a@example.org>").summary()).startsWith("451 4.3.0");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void unknownCommandHookAndExtraKeywordsServeExtensionsLikeAuth() throws Exception {
        try (SmtpServer server = SmtpServer.builder().handlerFactory(info -> new SessionHandler() {
            @Override
            public java.util.List<String> extraEhloKeywords() {
                return java.util.List.of("AUTH PLAIN", "BROKEN\r\nINJECTED");
            }

            @Override
            public java.util.Optional<Reply> onUnknownCommand(String verb, String args) {
                return verb.equals("AUTH") ? java.util.Optional.of(Reply.of(235, "2.7.0", "Authentication successful"))
                        : java.util.Optional.empty();
            }
        }).build().start(); TestSmtpClient c = TestSmtpClient.connectGreeted(server.port())) {
            Reply ehlo = c.command("EHLO x.example");
            assertThat(ehlo.lines()).contains("AUTH PLAIN").noneMatch(l -> l.contains("INJECTED"));
            assertThat(c.command("AUTH PLAIN AGEAYg==").code()).isEqualTo(235);
            assertThat(c.command("XYZZY").code()).isEqualTo(500);
        }
    }
}
