package dev.doublelock.smtp.client;

import dev.doublelock.smtp.client.SmtpClientException.Phase;
import dev.doublelock.tls.StartTlsOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Scripted raw servers that break the protocol: the client must fail typed, quoted and in time, never hang. */
@Timeout(30)
class MisbehavingServerTest {
    private static final ClientOptions FAST = ClientOptions.defaults("client.test")
            .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(2));
    private static final byte[] MESSAGE = "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    private static SmtpClientSession connect(ScriptedServer server, ClientOptions options) throws SmtpClientException {
        return SmtpClientSession.connect(Dialer.direct(), server.address(), "mx.test", options);
    }

    private static String ehloReply(String... keywords) {
        StringBuilder sb = new StringBuilder("250" + (keywords.length == 0 ? " " : "-") + "mx.test hello\r\n");
        for (int i = 0; i < keywords.length; i++) {
            sb.append("250").append(i == keywords.length - 1 ? ' ' : '-').append(keywords[i]).append("\r\n");
        }
        return sb.toString();
    }

    private static SmtpClientException greetingFailure(String greeting, ClientOptions options) throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send(greeting);
            p.awaitClientClose();
        })) {
            return catchThrowableOfType(SmtpClientException.class, () -> connect(server, options));
        }
    }

    @Test
    void greeting554IsPermanentAtGreeting() throws Exception {
        SmtpClientException e = greetingFailure("554 5.7.1 go away\r\n", FAST);
        assertThat(e.phase()).isEqualTo(Phase.GREETING);
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(554));
        assertThat(e.getMessage()).contains("554 5.7.1 go away");
    }

    @Test
    void greeting421IsTransient() throws Exception {
        SmtpClientException e = greetingFailure("421 4.3.2 busy\r\n", FAST);
        assertThat(e.isPermanent()).isFalse();
        assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(421));
    }

    @Test
    void silentServerTimesOutAsATransientFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Peer::awaitClientClose)) {
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class, () -> connect(server, FAST));
            assertThat(e.phase()).isEqualTo(Phase.GREETING);
            assertThat(e.isPermanent()).isFalse();
            assertThat(e.getMessage()).contains("timed out");
        }
    }

    @Test
    void serverThatStopsAnsweringAfterEhloTimesOut() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class, s::ehlo);
            assertThat(e.phase()).isEqualTo(Phase.EHLO);
            assertThat(e.isPermanent()).isFalse();
            assertThat(server.finished().received).containsExactly("EHLO client.test");
        }
    }

    @Test
    void trickledReplyIsCutOffByTheWholeReplyDeadline() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            for (int i = 0; i < 40; i++) {
                p.send("2");
                Thread.sleep(100);
            }
        })) {
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class, () -> connect(server, FAST));
            assertThat(e.phase()).isEqualTo(Phase.GREETING);
            assertThat(e.getMessage()).contains("timed out");
        }
    }

    @Test
    void garbageGreetingIsMalformedAndQuoted() throws Exception {
        SmtpClientException e = greetingFailure("HTTP/1.1 400 Bad Request\r\n", FAST);
        assertThat(e.isPermanent()).isFalse();
        assertThat(e.reply()).isEmpty();
        assertThat(e.getMessage()).contains("malformed").contains("\"HTTP/1.1 400 Bad Request\"");
    }

    @Test
    void oversizedReplyLineIsMalformedAndTheQuoteIsTruncated() throws Exception {
        SmtpClientException e = greetingFailure("220 " + "x".repeat(5000) + "\r\n", FAST);
        assertThat(e.getMessage()).contains("longer than 2048 octets").contains("...");
        assertThat(e.getMessage().length()).isLessThan(400);
    }

    @Test
    void codeChangingInsideAMultiLineReplyIsMalformed() throws Exception {
        SmtpClientException e = greetingFailure("220-mx.test\r\n250 surprise\r\n", FAST);
        assertThat(e.getMessage()).contains("differs").contains("\"250 surprise\"");
    }

    @Test
    void endlessMultiLineReplyIsCutAtMaxReplyLines() throws Exception {
        SmtpClientException e = greetingFailure("220-x\r\n".repeat(200), FAST.withLimits(10, 512));
        assertThat(e.getMessage()).contains("more than 10 lines");
    }

    @Test
    void bareLineFeedInAReplyIsMalformed() throws Exception {
        SmtpClientException e = greetingFailure("220 mx.test\n250 hidden\r\n", FAST);
        assertThat(e.getMessage()).contains("bare CR/LF").contains("\\n");
    }

    @Test
    void bytesInjectedAfterStartTls220AreDroppedNeverParsed() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.expect("EHLO");
            p.send(ehloReply("PIPELINING", "STARTTLS"));
            p.expect("STARTTLS");
            p.send("220 go\r\n250 injected\r\n");
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            s.ehlo();
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, null, null);
            StartTlsOutcome o = s.startTls(ClientTlsConfig.verifying(ctx, "mx.test"));
            // the injected "250" is dropped with the 220; this scripted server then speaks no TLS, so the handshake
            // fails, rather than the client taking "250 injected" as any answer
            assertThat(o.status()).isEqualTo(StartTlsOutcome.Status.HANDSHAKE_FAILED);
            assertThat(s.transcript().toString()).contains("discarded 14 octets the server sent after its 220");
            assertThat(server.finished().received).as("no plaintext command after STARTTLS")
                    .startsWith("EHLO client.test", "STARTTLS").noneMatch(l -> l.startsWith("EHLO") && !l.equals("EHLO client.test"));
        }
    }

    @Test
    void ehlo502FallsBackToHeloAndDeliversWithoutPipelining() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 old.test SMTP\r\n");
            p.expect("EHLO");
            p.send("502 5.5.1 what is EHLO\r\n");
            p.expect("HELO client.test");
            p.send("250 old.test\r\n");
            p.expect("MAIL FROM:<a@example.org>");
            p.send("250 ok\r\n");
            p.expect("RCPT TO:<b@example.net>");
            p.send("250 ok\r\n");
            p.expect("DATA");
            p.send("354 go\r\n");
            while (!".".equals(p.readLine())) {
                // message lines
            }
            p.send("250 queued\r\n");
            p.expect("QUIT");
            p.send("221 bye\r\n");
        }); SmtpClientSession s = connect(server, FAST)) {
            EhloResult ehlo = s.ehlo();
            assertThat(ehlo.heloFallback()).isTrue();
            assertThat(ehlo.keywords()).isEmpty();
            assertThat(s.startTls(ClientTlsConfig.verifying(SSLContext.getDefault(), "mx.test")).status())
                    .isEqualTo(StartTlsOutcome.Status.NOT_OFFERED);
            DeliveryResult r = s.send("a@example.org", List.of("b@example.net"), Map.of(), MESSAGE);
            s.quit();
            assertThat(r.accepted()).containsExactly("b@example.net");
            assertThat(server.finished().received).contains("Subject: x", "hello");
        }
    }

    @Test
    void pipeliningSendsMailAndAllRcptsBeforeWaitingForAReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.expect("EHLO");
            p.send(ehloReply("PIPELINING", "8BITMIME"));
            p.expect("MAIL FROM:<a@example.org>");
            p.expect("RCPT TO:<b@example.net>");
            p.expect("RCPT TO:<c@example.net>"); // a non-pipelining client would still wait for the MAIL reply
            p.send("250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n");
            p.expect("DATA");
            p.send("354 go\r\n");
            while (!".".equals(p.readLine())) {
                // message lines
            }
            p.send("452 4.3.1 out of disk\r\n");
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            s.ehlo();
            DeliveryResult r = s.send("a@example.org", List.of("b@example.net", "c@example.net"), Map.of(), MESSAGE);
            assertThat(r.accepted()).isEmpty();
            assertThat(r.deferred()).as("the end-of-data 452 applies to the accepted recipient").containsExactly("b@example.net");
            assertThat(r.rejectedPermanently()).containsExactly("c@example.net");
        }
    }

    @Test
    void mailRefusedIsAnExceptionWithTheReplyAndTheTransactionIsReset() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.expect("EHLO");
            p.send(ehloReply("PIPELINING"));
            p.expect("MAIL");
            p.expect("RCPT");
            p.send("550 5.7.1 sender blocked\r\n503 5.5.1 need MAIL\r\n");
            p.expect("RSET");
            p.send("250 ok\r\n");
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            s.ehlo();
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class,
                    () -> s.send("a@example.org", List.of("b@example.net"), Map.of(), MESSAGE));
            assertThat(e.phase()).isEqualTo(Phase.MAIL);
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.enhancedStatus()).isEqualTo("5.7.1"));
            s.close();
            assertThat(server.finished().received).endsWith("RSET");
        }
    }

    @Test
    void positiveReplyToDataInsteadOf354IsAProtocolError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.expect("EHLO");
            p.send(ehloReply("PIPELINING"));
            p.expect("MAIL");
            p.expect("RCPT");
            p.send("250 ok\r\n250 ok\r\n");
            p.expect("DATA");
            p.send("250 sure, consider it delivered\r\n");
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            s.ehlo();
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class,
                    () -> s.send("a@example.org", List.of("b@example.net"), Map.of(), MESSAGE));
            assertThat(e.phase()).isEqualTo(Phase.DATA);
            assertThat(e.isPermanent()).isFalse();
            assertThat(e.getMessage()).contains("expected 354");
        }
    }

    @Test
    void nonAsciiAddressWithoutSmtpUtf8IsAPermanentLocalFailureBeforeMail() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.expect("EHLO");
            p.send(ehloReply("PIPELINING", "8BITMIME", "SIZE 1000000"));
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            s.ehlo();
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class,
                    () -> s.send("a@example.org", List.of("j\u00f6rg@example.de"), Map.of(), MESSAGE));
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.phase()).isEqualTo(Phase.MAIL);
            assertThat(e.reply()).isEmpty();
            assertThat(e.getMessage()).contains("SMTPUTF8").contains("j\u00f6rg@example.de").contains("RFC 6531");

            SmtpClientException tooBig = catchThrowableOfType(SmtpClientException.class,
                    () -> s.send("a@example.org", List.of("b@example.net"), Map.of(), new byte[1_000_001]));
            assertThat(tooBig.isPermanent()).isTrue();
            assertThat(tooBig.getMessage()).contains("SIZE");
            assertThat(tooBig.localStatus()).contains("5.3.4");
            s.close();
            assertThat(server.finished().received).containsExactly("EHLO client.test");
        }
    }

    @Test
    void service421DuringRcptIsTransientAndClosesTheSession() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.expect("EHLO");
            p.send(ehloReply("PIPELINING"));
            p.expect("MAIL");
            p.expect("RCPT");
            p.send("250 ok\r\n421 4.3.2 shutting down\r\n");
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            s.ehlo();
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class,
                    () -> s.send("a@example.org", List.of("b@example.net"), Map.of(), MESSAGE));
            assertThat(e.phase()).isEqualTo(Phase.RCPT);
            assertThat(e.isPermanent()).isFalse();
            assertThat(server.finished().received).doesNotContain("DATA");
        }
    }

    @Test
    void serverSilentAfterStartTls220IsAHandshakeTimeout() throws Exception {
        try (ScriptedServer server = new ScriptedServer(p -> {
            p.send("220 mx.test ESMTP\r\n");
            p.expect("EHLO");
            p.send(ehloReply("STARTTLS"));
            p.expect("STARTTLS");
            p.send("220 go ahead\r\n");
            p.socket.getInputStream().read(new byte[4096]); // the ClientHello, never answered
            p.awaitClientClose();
        }); SmtpClientSession s = connect(server, FAST)) {
            s.ehlo();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(SSLContext.getDefault(), "mx.test"));
            assertThat(outcome.status()).isEqualTo(StartTlsOutcome.Status.HANDSHAKE_FAILED);
            assertThat(outcome.detail()).startsWith("timeout");
        }
    }

    @Test
    void connectionRefusedIsATransientConnectFailure() throws Exception {
        java.net.InetSocketAddress nobody;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = (java.net.InetSocketAddress) ss.getLocalSocketAddress();
        }
        SmtpClientException e = catchThrowableOfType(SmtpClientException.class,
                () -> SmtpClientSession.connect(Dialer.direct(), nobody, "mx.test", FAST));
        assertThat(e.phase()).isEqualTo(Phase.CONNECT);
        assertThat(e.isPermanent()).isFalse();
        assertThat(e.getMessage()).contains("mx.test (127.0.0.1:" + nobody.getPort() + ")");
    }
}
