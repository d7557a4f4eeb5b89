package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Reply;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Recipient, size, connection and time limits: a hostile client is cut off, everyone else is served. */
class LimitsTest {

    @Test
    void tenThousandRecipientsAreAllAnsweredAndOnlyTheLimitIsKept() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@example.org>");
            List<Reply> replies = new ArrayList<>();
            int batch = 500;
            for (int sent = 0; sent < 10_000; sent += batch) {
                StringBuilder sb = new StringBuilder();
                for (int i = sent; i < sent + batch; i++) {
                    sb.append("RCPT TO:<r").append(i).append("@example.org>\r\n");
                }
                c.send(sb.toString());
                replies.addAll(c.readReplies(batch));
            }
            assertThat(replies).hasSize(10_000);
            assertThat(replies.subList(0, 100)).allMatch(r -> r.code() == 250);
            assertThat(replies.subList(100, 10_000)).allMatch(r -> r.summary().startsWith("452 4.5.3"));
            assertThat(c.command("DATA").code()).isEqualTo(354);
            c.send("Subject: many\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply().code()).isEqualTo(250);

            RecordingHandler h = fx.nextHandler();
            assertThat(h.rcptCalls.get()).as("recipients over the limit never reach the handler").isEqualTo(100);
            assertThat(h.messages.get(0).recipients()).hasSize(100);
        }
    }

    @Test
    void tooLargeMessageIsRefusedAtMailAndAtEndOfData() throws Exception {
        try (ServerFixture fx = ServerFixture.withLimits(SmtpLimits.defaults().withMaxMessageBytes(10_000));
             TestSmtpClient c = fx.client()) {
            assertThat(c.command("EHLO client.example").lines()).contains("SIZE 10000");
            assertThat(c.command("MAIL FROM:<a@example.org> SIZE=20000").summary()).startsWith("552 5.3.4");
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            c.command("RCPT TO:<b@example.org>");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            StringBuilder big = new StringBuilder("Subject: big\r\n\r\n");
            for (int i = 0; i < 1000; i++) {
                big.append("line ").append(i).append(" of a message that is far too large\r\n");
            }
            c.send(big + ".\r\n");
            assertThat(c.readReply().summary()).startsWith("552 5.3.4");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(fx.nextHandler().messages).isEmpty();
        }
    }

    @Test
    void connectionsOverTheLimitGet421AndFreedSlotsAreReused() throws Exception {
        try (ServerFixture fx = ServerFixture.withLimits(SmtpLimits.defaults().withMaxConnections(2))) {
            TestSmtpClient first = fx.client();
            try (TestSmtpClient second = fx.client(); TestSmtpClient third = TestSmtpClient.connect(fx.port())) {
                assertThat(third.readReply().summary()).startsWith("421 4.7.0");
                assertThat(third.isClosedByServer()).isTrue();
                assertThat(second.command("NOOP").code()).isEqualTo(250);
            }
            first.command("QUIT");
            first.close();
            assertThat(greetingEventually(fx.port())).isEqualTo(220);
        }
    }

    /** The slot is released just after the session's onClose; retry briefly instead of sleeping blindly. */
    private static int greetingEventually(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (TestSmtpClient c = TestSmtpClient.connect(port)) {
                int code = c.readReply().code();
                if (code == 220 || System.nanoTime() > until) {
                    return code;
                }
            }
            Thread.sleep(20);
        }
    }

    @Test
    void idleClientGets421Timeout() throws Exception {
        try (ServerFixture fx = ServerFixture.withLimits(SmtpLimits.defaults().withIdleTimeout(Duration.ofMillis(300)));
             TestSmtpClient c = fx.client()) {
            assertThat(c.readReply().summary()).startsWith("421 4.4.2");
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(fx.nextHandler().awaitClose()).isEqualTo(CloseReason.TIMEOUT);
        }
    }

    @Test
    void oneBytePerTickClientIsCutOffWhileANormalSessionCompletes() throws Exception {
        SmtpLimits limits = SmtpLimits.defaults().withCommandTimeout(Duration.ofSeconds(1));
        try (ServerFixture fx = ServerFixture.withLimits(limits); TestSmtpClient slow = fx.client()) {
            RecordingHandler slowHandler = fx.nextHandler();
            byte[] line = "MAIL FROM:<slow-sender-who-takes-forever@example.org>\r\n".getBytes();
            CompletableFuture<Integer> sentBytes = CompletableFuture.supplyAsync(() -> trickle(slow, line));

            try (TestSmtpClient normal = fx.client()) {
                normal.command("EHLO fast.example");
                normal.command("MAIL FROM:<a@example.org>");
                normal.command("RCPT TO:<b@example.org>");
                normal.command("DATA");
                normal.send("Subject: fast\r\n\r\nx\r\n.\r\n");
                assertThat(normal.readReply().code()).isEqualTo(250);
                assertThat(normal.command("QUIT").code()).isEqualTo(221);
            }
            assertThat(slow.readReply().summary()).startsWith("421 4.4.2");
            assertThat(slowHandler.awaitClose()).isEqualTo(CloseReason.TIMEOUT);
            assertThat(sentBytes.get(30, TimeUnit.SECONDS)).as("cut off before the line was complete")
                    .isLessThan(line.length);
            assertThat(fx.nextHandler().messages).hasSize(1);
        }
    }

    private static int trickle(TestSmtpClient client, byte[] line) {
        int sent = 0;
        try {
            for (byte b : line) {
                client.sendBytes(new byte[]{b});
                sent++;
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException stopped) {
            // the server closed the connection, as it should
        }
        return sent;
    }
}
