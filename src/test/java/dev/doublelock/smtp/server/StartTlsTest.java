package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.tls.TlsHandshakeResult;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 3207 STARTTLS with real JSSE handshakes on loopback and an in-memory self-signed certificate. */
class StartTlsTest {
    private static TestPki pki;
    private static TestPki stranger;

    @BeforeAll
    static void generateCertificates() throws Exception {
        pki = TestPki.selfSigned("localhost");
        stranger = TestPki.selfSigned("someone-else");
    }

    private static ServerFixture offering(String... serverProtocols) throws Exception {
        return new ServerFixture(SmtpLimits.defaults(), new StartTlsSupport.Offered(pki.upgrader(serverProtocols)));
    }

    @Test
    void handshakeSucceedsResetsTheSessionAndStopsAdvertisingStartTls() throws Exception {
        try (ServerFixture fx = offering(); TestSmtpClient c = fx.client()) {
            assertThat(c.command("EHLO client.example").lines()).contains("STARTTLS");
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(c.command("STARTTLS").summary()).startsWith("220 2.0.0");
            SSLSocket ssl = c.startTls(pki.clientContextTrustingOnlyThis());
            assertThat(ssl.getSession().getProtocol()).isEqualTo("TLSv1.3");

            assertThat(c.command("MAIL FROM:<a@example.org>").summary())
                    .as("EHLO state is forgotten after TLS starts").startsWith("503 5.5.1");
            Reply ehlo = c.command("EHLO client.example");
            assertThat(ehlo.lines()).doesNotContain("STARTTLS");
            assertThat(c.command("STARTTLS").summary()).startsWith("503");
            c.command("MAIL FROM:<a@example.org>");
            c.command("RCPT TO:<b@example.org>");
            c.command("DATA");
            c.send("Subject: secret\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply().code()).isEqualTo(250);
            assertThat(c.command("QUIT").code()).isEqualTo(221);

            RecordingHandler h = fx.nextHandler();
            assertThat(h.awaitClose()).isEqualTo(CloseReason.QUIT);
            assertThat(h.tls).singleElement().isInstanceOfSatisfying(TlsHandshakeResult.Established.class, e -> {
                assertThat(e.protocol()).isEqualTo(TlsVersion.TLS_1_3);
                assertThat(e.cipherSuite()).startsWith("TLS_");
                assertThat(e.sni()).contains("localhost");
                assertThat(e.peerChain()).isEmpty();
            });
            assertThat(h.injections).isEmpty();
            assertThat(h.resets.get()).as("the open transaction was reset by TLS").isEqualTo(1);
            assertThat(h.messages).singleElement().satisfies(m -> assertThat(m.receivedOverTls()).isTrue());
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsDiscardedAndReported() throws Exception {
        try (ServerFixture fx = offering(); TestSmtpClient c = fx.client()) {
            c.command("EHLO client.example");
            c.send("STARTTLS\r\nRSET\r\n");
            assertThat(c.readReply().summary()).startsWith("220 2.0.0");
            c.startTls(pki.clientContextTrustingOnlyThis());
            assertThat(c.command("NOOP").code()).as("the first reply over TLS answers NOOP, not the injected RSET")
                    .isEqualTo(250);
            assertThat(c.command("QUIT").code()).isEqualTo(221);

            RecordingHandler h = fx.nextHandler();
            h.awaitClose();
            assertThat(h.injections).containsExactly("RSET\r\n".length());
            assertThat(h.transcript.toString()).doesNotContain("C: RSET");
        }
    }

    @Test
    void clientThatDoesNotTrustTheCertificateIsRecordedWithItsAlert() throws Exception {
        try (ServerFixture fx = offering(); TestSmtpClient c = fx.client()) {
            c.command("EHLO client.example");
            assertThat(c.command("STARTTLS").code()).isEqualTo(220);
            SSLContext distrusting = stranger.clientContextTrustingOnlyThis();
            assertThatThrownBy(() -> c.startTls(distrusting)).isInstanceOf(SSLException.class);

            RecordingHandler h = fx.nextHandler();
            assertThat(h.awaitClose()).isEqualTo(CloseReason.CLIENT_CLOSED);
            assertThat(h.tls).singleElement().isInstanceOfSatisfying(TlsHandshakeResult.Failed.class, f -> {
                assertThat(f.alertFromPeer()).as("the client sent the alert: " + f).isTrue();
                assertThat(f.alert()).isIn("certificate_unknown", "bad_certificate", "unknown_ca");
            });
        }
    }

    @Test
    void protocolMismatchIsRecordedAsProtocolVersion() throws Exception {
        try (ServerFixture fx = offering("TLSv1.3"); TestSmtpClient c = fx.client()) {
            c.command("EHLO client.example");
            assertThat(c.command("STARTTLS").code()).isEqualTo(220);
            assertThatThrownBy(() -> c.startTls(pki.clientContextTrustingOnlyThis(), "TLSv1.2"))
                    .isInstanceOf(SSLException.class);

            RecordingHandler h = fx.nextHandler();
            h.awaitClose();
            assertThat(h.tls).singleElement().isInstanceOfSatisfying(TlsHandshakeResult.Failed.class,
                    f -> assertThat(f.alert()).isEqualTo("protocol_version"));
        }
    }

    @Test
    void clientThatSendsNoClientHelloTimesOut() throws Exception {
        SmtpLimits limits = SmtpLimits.defaults().withCommandTimeout(java.time.Duration.ofMillis(500));
        try (ServerFixture fx = new ServerFixture(limits, new StartTlsSupport.Offered(pki.upgrader()));
             TestSmtpClient c = fx.client()) {
            c.command("EHLO client.example");
            assertThat(c.command("STARTTLS").code()).isEqualTo(220);
            RecordingHandler h = fx.nextHandler();
            assertThat(h.awaitClose()).isEqualTo(CloseReason.TIMEOUT);
            assertThat(h.tls).singleElement().isInstanceOfSatisfying(TlsHandshakeResult.Failed.class,
                    f -> assertThat(f.alert()).isEqualTo(TlsHandshakeResult.Failed.TIMEOUT));
        }
    }

    @Test
    void advertisedButRefusedAnswers454AndStaysInPlaintext() throws Exception {
        try (ServerFixture fx = new ServerFixture(SmtpLimits.defaults(), new StartTlsSupport.AdvertisedButRefused());
             TestSmtpClient c = fx.client()) {
            assertThat(c.command("EHLO client.example").lines()).contains("STARTTLS");
            assertThat(c.command("STARTTLS")).isEqualTo(Replies.TLS_NOT_AVAILABLE);
            assertThat(c.command("STARTTLS now").summary()).startsWith("501");
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(fx.nextHandler().tls).isEmpty();
        }
    }

    @Test
    void notAdvertisedModeHidesStartTlsAndAnswers502() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            assertThat(c.command("EHLO client.example").lines()).doesNotContain("STARTTLS");
            assertThat(c.command("STARTTLS").summary()).startsWith("502 5.5.1");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }
}
