package dev.doublelock.smtp.client;

import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.smtp.server.TlsUpgrader;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsHandshakeResult;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** STARTTLS against doublelock's SMTP server with real JSSE handshakes and an in-memory test CA. */
@Timeout(30)
class StartTlsClientTest {
    private static TestCa ca;
    private static TestCa strangerCa;
    private static TestCa.Leaf leaf;
    private static TestCa.Leaf strangerLeaf;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestCa.create("doublelock test CA");
        strangerCa = TestCa.create("nobody trusts me");
        leaf = ca.issue("mx.test");
        strangerLeaf = strangerCa.issue("mx.test");
    }

    private static ServerUnderTest offering(TestCa.Leaf cert, String... protocols) throws Exception {
        SSLContext ctx = cert.serverContext();
        TlsUpgrader upgrader = plain -> {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, true);
            s.setUseClientMode(false);
            if (protocols.length > 0) {
                s.setEnabledProtocols(protocols);
            }
            return s;
        };
        return new ServerUnderTest(new StartTlsSupport.Offered(upgrader));
    }

    private static SmtpClientSession connect(ServerUnderTest server, String referenceName) throws SmtpClientException {
        return SmtpClientSession.connect(Dialer.direct(), server.address(), referenceName, DeliveryTest.OPTIONS);
    }

    @Test
    void establishedSessionIsObservableBeforeMailAndDeliversOverTls() throws Exception {
        try (ServerUnderTest server = offering(leaf); SmtpClientSession s = connect(server, "mx.test")) {
            assertThat(s.ehlo().supports("STARTTLS")).isTrue();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "mx.test"));

            assertThat(outcome.status()).isEqualTo(StartTlsOutcome.Status.ESTABLISHED);
            SessionObservation o = s.observation();
            assertThat(o.startTls().isEstablished()).isTrue();
            assertThat(o.referenceName()).isEqualTo("mx.test");
            assertThat(o.endpoint()).isEqualTo("127.0.0.1:" + server.address().getPort());
            assertThat(o.protocol()).contains(TlsVersion.TLS_1_3);
            assertThat(o.cipherSuite()).hasValueSatisfying(suite -> assertThat(suite).startsWith("TLS_"));
            assertThat(o.chain()).containsExactly(leaf.certificate(), ca.certificate);
            assertThat(o.sni()).contains("mx.test");
            // issue 9: the server's key share is seen (EphemeralKeyRecorder); a JDK server picks the client's first, x25519
            assertThat(o.group()).as("the key-exchange group the server chose").contains("x25519");
            assertThat(o.dhBits()).isEmpty();
            assertThat(s.ehloResult()).hasValueSatisfying(e -> assertThat(e.supports("STARTTLS"))
                    .as("the EHLO over TLS replaced the plaintext one").isFalse());
            assertThat(server.helos).containsExactly("EHLO client.test", "EHLO client.test");

            byte[] message = "Subject: tls\r\n\r\nsecret\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(s.send("a@example.org", List.of("b@example.net"), Map.of(), message).accepted())
                    .containsExactly("b@example.net");
            s.quit();
            var got = server.nextMessage();
            assertThat(got.receivedOverTls()).isTrue();
            assertThat(got.tls()).hasValueSatisfying(t -> assertThat(t.sni()).contains("mx.test"));
            assertThat(got.content()).isEqualTo(message);
        }
    }

    @Test
    void tls12OnlyClientWithoutSniNegotiatesTls12AndSendsNoSni() throws Exception {
        try (ServerUnderTest server = offering(leaf); SmtpClientSession s = connect(server, "mx.test")) {
            s.ehlo();
            s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "mx.test").withProtocols("TLSv1.2")
                    .withSni(Optional.empty()));
            assertThat(s.observation().protocol()).contains(TlsVersion.TLS_1_2);
            assertThat(s.observation().sni()).isEmpty();
            assertThat(server.handshakes).as("the server saw the handshake before answering the EHLO over TLS")
                    .singleElement().isInstanceOfSatisfying(TlsHandshakeResult.Established.class, e -> {
                        assertThat(e.protocol()).isEqualTo(TlsVersion.TLS_1_2);
                        assertThat(e.sni()).as("no SNI configured, none sent").isEmpty();
                    });
        }
    }

    @Test
    void certificateFromAnUntrustedCaFailsTheHandshakeWithoutAnException() throws Exception {
        try (ServerUnderTest server = offering(strangerLeaf); SmtpClientSession s = connect(server, "mx.test")) {
            s.ehlo();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "mx.test"));

            assertThat(outcome.status()).isEqualTo(StartTlsOutcome.Status.HANDSHAKE_FAILED);
            assertThat(outcome.detail()).contains("certificate_unknown").contains("PKIX");
            assertThat(s.observation().protocol()).isEmpty();
            assertThat(s.observation().chain()).isEmpty();
            assertThat(s.handshake()).hasValueSatisfying(h -> assertThat(h).isInstanceOf(TlsHandshakeResult.Failed.class));
            assertThatThrownBy(() -> s.send("a@example.org", List.of("b@example.net"), Map.of(), new byte[0]))
                    .as("no plaintext delivery on the broken connection").isInstanceOf(SmtpClientException.class)
                    .hasMessageContaining("already closed");
        }
    }

    @Test
    void hostNameMismatchFailsWhenEndpointIdentificationIsOn() throws Exception {
        try (ServerUnderTest server = offering(leaf); SmtpClientSession s = connect(server, "other.test")) {
            s.ehlo();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "other.test"));
            assertThat(outcome.status()).isEqualTo(StartTlsOutcome.Status.HANDSHAKE_FAILED);
            assertThat(outcome.detail()).containsIgnoringCase("other.test");
        }
        try (ServerUnderTest server = offering(leaf); SmtpClientSession s = connect(server, "other.test")) {
            s.ehlo();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "other.test")
                    .withEndpointIdentification(false));
            assertThat(outcome.status()).as("chain still trusted; name not checked").isEqualTo(StartTlsOutcome.Status.ESTABLISHED);
        }
    }

    @Test
    void protocolMismatchIsAHandshakeFailureNamingTheAlert() throws Exception {
        try (ServerUnderTest server = offering(leaf, "TLSv1.2"); SmtpClientSession s = connect(server, "mx.test")) {
            s.ehlo();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "mx.test")
                    .withProtocols("TLSv1.3"));
            assertThat(outcome.status()).isEqualTo(StartTlsOutcome.Status.HANDSHAKE_FAILED);
            assertThat(outcome.detail()).startsWith("protocol_version");
        }
    }

    @Test
    void notOfferedLeavesThePlaintextSessionToTheCallersPolicy() throws Exception {
        try (ServerUnderTest server = ServerUnderTest.plain(); SmtpClientSession s = connect(server, "mx.test")) {
            s.ehlo();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "mx.test"));
            assertThat(outcome.status()).isEqualTo(StartTlsOutcome.Status.NOT_OFFERED);
            assertThat(s.observation().startTls()).isEqualTo(outcome);
            assertThat(s.observation().protocol()).isEmpty();
            assertThat(s.transcript().entries()).noneMatch(e -> e.text().equals("STARTTLS"));
            s.quit();
        }
    }

    @Test
    void refusedStartTlsCarriesTheServersReply() throws Exception {
        try (ServerUnderTest server = new ServerUnderTest(new StartTlsSupport.AdvertisedButRefused());
             SmtpClientSession s = connect(server, "mx.test")) {
            s.ehlo();
            StartTlsOutcome outcome = s.startTls(ClientTlsConfig.verifying(ca.clientContextTrustingOnlyThis(), "mx.test"));
            assertThat(outcome.status()).isEqualTo(StartTlsOutcome.Status.REFUSED);
            assertThat(outcome.detail()).isEqualTo(Replies.TLS_NOT_AVAILABLE.summary());
            assertThat(s.observation().sni()).isEmpty();
        }
    }

    @Test
    void unknownProtocolNameIsACallerErrorRaisedBeforeStartTlsIsSent() throws Exception {
        try (ServerUnderTest server = offering(leaf); SmtpClientSession s = connect(server, "mx.test")) {
            s.ehlo();
            ClientTlsConfig bad = new ClientTlsConfig(ca.clientContextTrustingOnlyThis(), List.of("TLSv9"), List.of(),
                    List.of(), Optional.of("mx.test"), true);
            assertThatThrownBy(() -> s.startTls(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLSv9");
            assertThat(s.transcript().entries()).noneMatch(e -> e.text().equals("STARTTLS"));
        }
    }
}
