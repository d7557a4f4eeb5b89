package dev.doublelock.smtp.client;

import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.io.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Delivery to doublelock's own SMTP server over loopback: envelope, content, per-recipient results. */
@Timeout(30)
class DeliveryTest {
    static final ClientOptions OPTIONS = ClientOptions.defaults("client.test")
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

    static SmtpClientSession connect(ServerUnderTest s) throws SmtpClientException {
        return SmtpClientSession.connect(Dialer.direct(), s.address(), "mx.test", OPTIONS);
    }

    @Test
    void messageArrivesByteForByteIncludingLinesStartingWithADot() throws Exception {
        byte[] message = ("From: a@example.org\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n"
                + "middle . dot\r\n. \r\nlast line\r\n").getBytes(StandardCharsets.US_ASCII);
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server)) {
            EhloResult ehlo = s.ehlo();
            assertThat(ehlo.supports("pipelining")).isTrue();
            assertThat(ehlo.heloFallback()).isFalse();
            assertThat(ehlo.size()).hasValue(35L * 1024 * 1024);

            DeliveryResult r = s.send("a@example.org", List.of("b@example.net", "c@example.net"), Map.of(), message);
            s.quit();

            assertThat(r.accepted()).containsExactly("b@example.net", "c@example.net");
            assertThat(r.anyAccepted()).isTrue();
            assertThat(r.dataReply()).hasValueSatisfying(d -> assertThat(d.code()).isEqualTo(250));
            ReceivedMessage got = server.nextMessage();
            assertThat(got.content()).isEqualTo(message);
            assertThat(got.from().toWire()).isEqualTo("<a@example.org>");
            assertThat(got.recipients()).extracting(p -> p.toWire()).containsExactly("<b@example.net>", "<c@example.net>");
            assertThat(got.mailParameters()).containsEntry("SIZE", Integer.toString(message.length))
                    .doesNotContainKey("BODY");
            assertThat(server.helos).containsExactly("EHLO client.test");

            Transcript t = s.transcript();
            assertThat(t.entries()).extracting(Transcript.Entry::text)
                    .contains("MAIL FROM:<a@example.org> SIZE=" + message.length, "RCPT TO:<b@example.net>", "QUIT")
                    .noneMatch(line -> line.contains("leading dot"));
        }
    }

    @Test
    void messageWithoutFinalCrlfIsCompletedAndEightBitBodyGetsBody8BitMime() throws Exception {
        byte[] message = "Subject: caf\u00e9 free\r\n\r\nna\u00efve body".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body8 = "Subject: plain\r\n\r\nna\u00efve".getBytes(StandardCharsets.UTF_8);
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server)) {
            s.ehlo();
            s.send("", List.of("b@example.net"), Map.of(), body8);
            ReceivedMessage got = server.nextMessage();
            assertThat(got.content()).isEqualTo((new String(body8, StandardCharsets.UTF_8) + "\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(got.from().isNull()).as("empty mailFrom is the null reverse-path").isTrue();
            assertThat(got.mailParameters()).containsEntry("BODY", "8BITMIME").doesNotContainKey("SMTPUTF8");

            s.send("a@example.org", List.of("b@example.net"), Map.of(), message);
            assertThat(server.nextMessage().mailParameters())
                    .as("8-bit header text needs SMTPUTF8, which this server offers").containsKey("SMTPUTF8");
        }
    }

    @Test
    void resetBetweenTransactionsLetsOneSessionCarrySeveralMessages() throws Exception {
        byte[] first = "Subject: one\r\n\r\nfirst\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "Subject: two\r\n\r\nsecond\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server)) {
            assertThatThrownBy(s::reset).isInstanceOf(IllegalStateException.class);
            s.ehlo();
            assertThat(s.send("a@example.org", List.of("b@example.net"), Map.of(), first).anyAccepted()).isTrue();
            s.reset();
            assertThat(s.isOpen()).isTrue();
            assertThat(s.send("a@example.org", List.of("c@example.net"), Map.of(), second).anyAccepted()).isTrue();
            assertThat(server.nextMessage().content()).isEqualTo(first);
            ReceivedMessage got = server.nextMessage();
            assertThat(got.content()).isEqualTo(second);
            assertThat(got.recipients()).extracting(p -> p.toWire()).containsExactly("<c@example.net>");
            assertThat(s.transcript().entries()).extracting(Transcript.Entry::text).contains("RSET");
            s.quit();
            assertThat(s.isOpen()).isFalse();
            assertThatThrownBy(s::reset).as("a closed session cannot be reset: the caller opens a new one")
                    .isInstanceOf(SmtpClientException.class);
        }
    }

    @Test
    void perRecipientRepliesSeparateAcceptedRejectedAndDeferred() throws Exception {
        byte[] message = "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server)) {
            s.ehlo();
            DeliveryResult r = s.send("a@example.org",
                    List.of("ok@example.net", "nobody@example.net", "later@example.net"), Map.of(), message);

            assertThat(r.recipientReplies().get("nobody@example.net")).isEqualTo(ServerUnderTest.NO_SUCH_USER);
            assertThat(r.recipientReplies().get("later@example.net")).isEqualTo(ServerUnderTest.MAILBOX_BUSY);
            assertThat(r.accepted()).containsExactly("ok@example.net");
            assertThat(r.rejectedPermanently()).containsExactly("nobody@example.net");
            assertThat(r.deferred()).containsExactly("later@example.net");
            assertThat(server.nextMessage().recipients()).extracting(p -> p.toWire()).containsExactly("<ok@example.net>");
        }
    }

    @Test
    void noAcceptedRecipientMeansNoDataAndTheSessionStaysUsable() throws Exception {
        byte[] message = "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server)) {
            s.ehlo();
            DeliveryResult none = s.send("a@example.org", List.of("nobody@example.net", "later@example.net"), Map.of(), message);
            assertThat(none.anyAccepted()).isFalse();
            assertThat(none.dataReply()).isEmpty();
            assertThat(none.rejectedPermanently()).containsExactly("nobody@example.net");
            assertThat(none.deferred()).containsExactly("later@example.net");

            DeliveryResult next = s.send("a@example.org", List.of("b@example.net"), Map.of(), message);
            assertThat(next.accepted()).containsExactly("b@example.net");
            assertThat(server.nextMessage().content()).isEqualTo(message);
        }
    }

    @Test
    void refusesToSendBareLineEndingsOrHeaderInjection() throws Exception {
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server)) {
            s.ehlo();
            assertThatThrownBy(() -> s.send("a@example.org", List.of("b@example.net"), Map.of(),
                    "Subject: x\r\n\r\nsmuggle\n.\nMAIL FROM:<x@y>\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.isPermanent()).isTrue();
                        assertThat(e.getMessage()).contains("bare CR or LF");
                    });
            assertThatThrownBy(() -> s.send("a@example.org", List.of("b@example.net>\r\nRSET"), Map.of(),
                    "x\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> assertThat(e.phase())
                            .isEqualTo(SmtpClientException.Phase.RCPT));
            assertThat(s.transcript().entries()).extracting(Transcript.Entry::text).noneMatch(l -> l.startsWith("MAIL"));
        }
    }

    @Test
    void manyRecipientsArePipelinedInWindowsAndTheServersRecipientLimitDefersTheRest() throws Exception {
        List<String> recipients = java.util.stream.IntStream.range(0, 250).mapToObj(i -> "r" + i + "@example.net").toList();
        byte[] message = "Subject: many\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server)) {
            s.ehlo();
            DeliveryResult r = s.send("a@example.org", recipients, Map.of(), message);
            assertThat(r.accepted()).hasSize(100).startsWith("r0@example.net");
            assertThat(r.deferred()).hasSize(150).startsWith("r100@example.net");
            assertThat(r.recipientReplies().get("r249@example.net").enhancedStatus()).isEqualTo("4.5.3");
            assertThat(server.nextMessage().recipients()).hasSize(100);
        }
    }
}
