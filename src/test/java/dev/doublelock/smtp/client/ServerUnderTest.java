package dev.doublelock.smtp.client;

import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.smtp.server.SmtpLimits;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.tls.TlsHandshakeResult;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * doublelock's own SMTP server on loopback port 0, with a handler that records what arrives and
 * refuses two well-known recipients: "nobody@..." gets 550 5.1.1, "later@..." gets 450 4.2.1.
 */
final class ServerUnderTest implements AutoCloseable {
    static final Reply NO_SUCH_USER = Reply.of(550, "5.1.1", "No such user");
    static final Reply MAILBOX_BUSY = Reply.of(450, "4.2.1", "Mailbox busy, try later");

    final SmtpServer server;
    final BlockingQueue<ReceivedMessage> messages = new LinkedBlockingQueue<>();
    final List<String> mailParams = new CopyOnWriteArrayList<>();
    final List<TlsHandshakeResult> handshakes = new CopyOnWriteArrayList<>();
    final List<String> helos = new CopyOnWriteArrayList<>();

    ServerUnderTest(StartTlsSupport startTls) throws IOException {
        server = SmtpServer.builder().hostName("mx.test")
                .limits(SmtpLimits.defaults().withCommandTimeout(Duration.ofSeconds(10)))
                .startTls(startTls).handlerFactory(info -> new Recorder()).build().start();
    }

    static ServerUnderTest plain() throws IOException {
        return new ServerUnderTest(new StartTlsSupport.NotAdvertised());
    }

    InetSocketAddress address() {
        return server.address();
    }

    ReceivedMessage nextMessage() throws InterruptedException {
        ReceivedMessage m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message arrived within 10 s");
        }
        return m;
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Recorder implements SessionHandler {
        @Override
        public void onHelo(String verb, String name) {
            helos.add(verb + " " + name);
        }

        @Override
        public void onStartTls(TlsHandshakeResult result) {
            handshakes.add(result);
        }

        @Override
        public Reply onMail(MailPath from, Map<String, String> params) {
            mailParams.add(params.toString());
            return Replies.SENDER_OK;
        }

        @Override
        public Reply onRcpt(MailPath to, Map<String, String> params) {
            String local = to.address().localPart();
            return switch (local) {
                case "nobody" -> NO_SUCH_USER;
                case "later" -> MAILBOX_BUSY;
                default -> Replies.RECIPIENT_OK;
            };
        }

        @Override
        public Reply onMessage(ReceivedMessage msg) {
            messages.add(msg);
            return Replies.OK_QUEUED(msg.connection().sessionId());
        }
    }
}
