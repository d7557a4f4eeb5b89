package dev.doublelock.smtp.server;

import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The server-wide budget of message octets held in memory, and handlers that keep only the start of a message. */
class DataBudgetTest {
    private static final String LINE = "x".repeat(998) + "\r\n";

    private static void body(TestSmtpClient c, int kilobytes) throws Exception {
        c.command("MAIL FROM:<a@example.org>");
        c.command("RCPT TO:<b@example.org>");
        assertThat(c.command("DATA").code()).isEqualTo(354);
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < 64; i++) chunk.append(LINE);
        for (int k = 0; k < kilobytes; k += 64) c.send(chunk.toString());
    }

    @Test
    void aMessageThatWouldGoOverTheBudgetGets452AndTheBudgetIsFreedAfterwards() throws Exception {
        SmtpLimits limits = SmtpLimits.defaults().withMaxBufferedDataBytes(1 << 20); // 1 MiB: ~340 KiB kept at once
        try (ServerFixture fx = ServerFixture.withLimits(limits);
             TestSmtpClient holder = fx.client(); TestSmtpClient other = fx.client()) {
            holder.command("EHLO a.example");
            other.command("EHLO b.example");
            body(holder, 256); // holds ~768 KiB of the budget until its end of data
            Thread.sleep(300);
            body(other, 256);
            other.send(".\r\n");
            Reply starved = other.readReply();
            assertThat(starved.summary()).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
            holder.send(".\r\n");
            assertThat(holder.readReply().code()).as("the first message is whole").isEqualTo(250);
            body(other, 256);
            other.send(".\r\n");
            assertThat(other.readReply().code()).as("the budget was given back").isEqualTo(250);
            assertThat(other.command("NOOP").code()).as("the session stays in sync").isEqualTo(250);
        }
    }

    @Test
    void aHandlerThatKeepsOnlyTheHeaderCostsNoMemoryForLargeMessages() throws Exception {
        List<ReceivedMessage> got = new CopyOnWriteArrayList<>();
        SmtpLimits limits = SmtpLimits.defaults().withMaxBufferedDataBytes(1 << 20);
        try (SmtpServer server = SmtpServer.builder().limits(limits).startTls(new StartTlsSupport.NotAdvertised())
                .handlerFactory(info -> new SessionHandler() {
                    @Override
                    public long contentToKeep() {
                        return 4096;
                    }

                    @Override
                    public Reply onMessage(ReceivedMessage msg) {
                        got.add(msg);
                        return Replies.OK;
                    }

                    @Override
                    public Reply onRcpt(MailPath to, Map<String, String> params) {
                        return Replies.OK;
                    }
                }).build().start();
             TestSmtpClient c = TestSmtpClient.connectGreeted(server.port())) {
            c.command("EHLO a.example");
            body(c, 5 * 1024); // 5 MiB, five times the budget
            c.send(".\r\n");
            assertThat(c.readReply().code()).isEqualTo(250);
            assertThat(got).hasSize(1);
            assertThat(got.getFirst().content()).hasSize(4096);
            assertThat(got.getFirst().size()).isEqualTo(5L * 1024 * 1000);
            assertThat(got.getFirst().truncated()).isTrue();
        }
    }
}
