package dev.doublelock.relay.delivery;

import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.smtp.server.SmtpLimits;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.tls.pki.CertifiedKey;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * doublelock's own SMTP server on a loopback port with STARTTLS using a given key, capturing every message.
 * "nobody@…" gets 550 5.1.1, "later@…" gets 450 4.2.1.
 */
final class CapturingServer implements AutoCloseable {
    final SmtpServer server;
    final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    /** The server names (SNI) clients asked for in their TLS handshakes, in order. */
    final List<String> serverNames = new CopyOnWriteArrayList<>();

    CapturingServer(CertifiedKey key) throws Exception {
        this(key, SmtpLimits.defaults().maxMessageBytes());
    }

    /** A server that advertises {@code SIZE maxMessageBytes} (RFC 1870). */
    CapturingServer(CertifiedKey key, long maxMessageBytes) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {key.keyManager()}, null, null);
        server = SmtpServer.builder().hostName("mx.test")
                .limits(SmtpLimits.defaults().withCommandTimeout(Duration.ofSeconds(10)).withMaxMessageBytes(maxMessageBytes))
                .startTls(new StartTlsSupport.Offered(plain -> {
                    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, true);
                    s.setUseClientMode(false);
                    javax.net.ssl.SSLParameters p = s.getSSLParameters();
                    p.setSNIMatchers(List.of(new javax.net.ssl.SNIMatcher(javax.net.ssl.StandardConstants.SNI_HOST_NAME) {
                        @Override
                        public boolean matches(javax.net.ssl.SNIServerName name) {
                            serverNames.add(((javax.net.ssl.SNIHostName) name).getAsciiName());
                            return true;
                        }
                    }));
                    s.setSSLParameters(p);
                    return s;
                }))
                .handlerFactory(info -> new SessionHandler() {
                    @Override
                    public Reply onRcpt(MailPath to, Map<String, String> params) {
                        return switch (to.address().localPart()) {
                            case "nobody" -> Reply.of(550, "5.1.1", "No such user");
                            case "later" -> Reply.of(450, "4.2.1", "Mailbox busy, try later");
                            default -> Replies.RECIPIENT_OK;
                        };
                    }

                    @Override
                    public Reply onMessage(ReceivedMessage msg) {
                        messages.add(msg);
                        return Replies.OK_QUEUED(msg.connection().sessionId());
                    }
                }).build().start();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
