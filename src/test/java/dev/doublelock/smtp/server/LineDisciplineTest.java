package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Only CRLF ends a line: bare LF/CR, NUL and overlong lines in commands and DATA (SMTP smuggling). */
class LineDisciplineTest {

    private static void startMessage(TestSmtpClient c) throws Exception {
        c.command("EHLO client.example");
        assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
        assertThat(c.command("RCPT TO:<b@example.org>").code()).isEqualTo(250);
        assertThat(c.command("DATA").code()).isEqualTo(354);
    }

    @Test
    void overlongCommandIsRefusedAndTheSessionContinues() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            assertThat(c.command("NOOP " + "x".repeat(600)).summary()).startsWith("500 5.5.6");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(c.command("NOOP " + "y".repeat(505)).code()).as("510 octets + CRLF = 512 fits").isEqualTo(250);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOOP\nNOOP\r\n", "NOOP\rNOOP\r\n", "NOOP\n\r\n"})
    void bareLineEndingInACommandIsOneRefusedLine(String raw) throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            c.send(raw);
            Reply reply = c.readReply();
            assertThat(reply.summary()).startsWith("500 5.5.2");
            assertThat(reply.lines().get(0)).contains("bare LF/CR");
            assertThat(c.command("HELP").code()).as("no second reply was queued for the bare-LF part").isEqualTo(214);
        }
    }

    @Test
    void nulInACommandIsRefused() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            assertThat(c.command("NO\0OP").summary()).startsWith("500 5.5.2");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r.\r\n"})
    void smugglingTerminatorDoesNotEndTheMessage(String fakeEnd) throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            startMessage(c);
            c.send("Subject: one\r\n\r\nfirst" + fakeEnd
                    + "MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
                    + "Subject: smuggled\r\n\r\nx\r\n.\r\nNOOP\r\n");
            assertThat(c.readReply().summary()).startsWith("550 5.6.11");
            assertThat(c.readReply().summary()).as("the next reply answers NOOP").isEqualTo("250 2.0.0 OK");
            RecordingHandler h = fx.nextHandler();
            assertThat(h.messages).isEmpty();
            assertThat(h.mailCalls.get()).as("the smuggled MAIL was never executed").isEqualTo(1);
        }
    }

    @Test
    void nulInDataRejectsTheMessage() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            startMessage(c);
            c.send("Subject: x\r\n\r\na\0b\r\n.\r\n");
            assertThat(c.readReply().summary()).startsWith("550 5.6.0");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(fx.nextHandler().messages).isEmpty();
        }
    }

    @Test
    void overlongTextLineRejectsTheMessageAtItsEnd() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            startMessage(c);
            c.send("Subject: x\r\n\r\n" + "z".repeat(1200) + "\r\nmore\r\n.\r\n");
            assertThat(c.readReply().summary()).startsWith("552 5.6.0");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(fx.nextHandler().messages).isEmpty();
        }
    }

    @Test
    void textLineOfExactly1000OctetsIsAccepted() throws Exception {
        try (ServerFixture fx = ServerFixture.plain(); TestSmtpClient c = fx.client()) {
            startMessage(c);
            String line = "w".repeat(998);
            c.send("Subject: x\r\n\r\n" + line + "\r\n.\r\n");
            assertThat(c.readReply().code()).isEqualTo(250);
            byte[] content = fx.nextHandler().messages.get(0).content();
            assertThat(new String(content, StandardCharsets.US_ASCII)).endsWith(line + "\r\n");
        }
    }
}
