package dev.doublelock.relay.delivery;

import dev.doublelock.policy.transport.ChainAuthentication;

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
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * doublelock's own SMTP server with STARTTLS on a loopback port that counts connections and captures messages.
 * "later@…" gets 450 4.2.1 to RCPT. With {@code dropAfter > 0} it drops a connection (closes the socket without a
 * reply) when the client sends RSET after that many messages on it.
 */
final class CountingServer implements AutoCloseable {
    final SmtpServer server;
    final AtomicInteger connections = new AtomicInteger();
    /** Sessions the client ended with QUIT. */
    final AtomicInteger quits = new AtomicInteger();
    final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final Map<Integer, Socket> tlsSockets = new ConcurrentHashMap<>();

    CountingServer(CertifiedKey key, int dropAfter) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {key.keyManager()}, null, null);
        server = SmtpServer.builder().hostName("mx.test")
                .limits(SmtpLimits.defaults().withCommandTimeout(Duration.ofSeconds(10)))
                .startTls(new StartTlsSupport.Offered(plain -> {
                    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, true);
                    s.setUseClientMode(false);
                    tlsSockets.put(plain.getPort(), s);
                    return s;
                }))
                .handlerFactory(info -> {
                    connections.incrementAndGet();
                    AtomicInteger here = new AtomicInteger();
                    return new SessionHandler() {
                        @Override
                        public Reply onRcpt(MailPath to, Map<String, String> params) {
                            return to.address().localPart().equals("later")
                                    ? Reply.of(450, "4.2.1", "Mailbox busy, try later") : Replies.RECIPIENT_OK;
                        }

                        @Override
                        public Reply onMessage(ReceivedMessage msg) {
                            messages.add(msg);
                            here.incrementAndGet();
                            return Replies.OK_QUEUED(msg.connection().sessionId());
                        }

                        @Override
                        public void onClose(dev.doublelock.smtp.server.CloseReason reason) {
                            if (reason == dev.doublelock.smtp.server.CloseReason.QUIT) {
                                quits.incrementAndGet();
                            }
                        }

                        @Override
                        public void onReset() {
                            Socket s = tlsSockets.get(info.remote().getPort());
                            if (dropAfter > 0 && here.get() >= dropAfter && s != null) {
                                try {
                                    s.close();
                                } catch (IOException ignored) {
                                    // dropped either way
                                }
                            }
                        }
                    };
                }).build().start();
    }

    int port() {
        return server.port();
    }

    /** The session pool key of plain sessions to this server under the default policy, enforced. */
    SessionPool.Key poolKey() {
        return new SessionPool.Key(new Hop("localhost", port()), address(), "default", "enforce", "default",
                ChainAuthentication.PKIX);
    }

    java.net.InetSocketAddress address() {
        return new java.net.InetSocketAddress("127.0.0.1", port());
    }

    /** A new plaintext SMTP session to this server, after EHLO. */
    dev.doublelock.smtp.client.SmtpClientSession openPlain() throws dev.doublelock.smtp.client.SmtpClientException {
        var session = dev.doublelock.smtp.client.SmtpClientSession.connect(dev.doublelock.smtp.client.Dialer.direct(),
                address(), "localhost", dev.doublelock.smtp.client.ClientOptions.defaults("relay.test"));
        session.ehlo();
        return session;
    }

    @Override
    public void close() {
        server.close();
    }
}
