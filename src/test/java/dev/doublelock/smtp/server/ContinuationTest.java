package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The 334 continuation hook that multi-line SMTP AUTH exchanges (RFC 4954 4) need. */
class ContinuationTest {

    /** Asks for two lines after "AUTH TEST", then answers 235 or 535. */
    private static final class TwoStepHandler implements SessionHandler {
        final List<String> continuations = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Reply> onUnknownCommand(String verb, String args) {
            return verb.equals("AUTH") ? Optional.of(Replies.authChallenge("b25l")) : Optional.empty();
        }

        @Override
        public Reply onContinuation(String line) {
            continuations.add(line);
            if (continuations.size() % 2 == 1) {
                return Replies.authChallenge("dHdv");
            }
            return line.equals("good") ? Replies.AUTH_SUCCEEDED : Replies.AUTH_CREDENTIALS_INVALID;
        }
    }

    @Test
    void linesAfter334GoToTheHandlerNotTheCommandParser() throws Exception {
        TwoStepHandler handler = new TwoStepHandler();
        try (SmtpServer server = SmtpServer.builder().handlerFactory(info -> handler).build().start();
             TestSmtpClient c = TestSmtpClient.connectGreeted(server.port())) {
            c.command("EHLO x.example");
            assertThat(c.command("AUTH TEST").code()).isEqualTo(334);
            assertThat(c.command("QUIT").code()).as("QUIT inside the exchange is a response, not a command").isEqualTo(334);
            assertThat(c.command("good").code()).isEqualTo(235);
            assertThat(handler.continuations).containsExactly("QUIT", "good");
            assertThat(c.command("NOOP").code()).as("after the exchange, lines are commands again").isEqualTo(250);
        }
    }

    @Test
    void aBadLineEndsTheExchange() throws Exception {
        TwoStepHandler handler = new TwoStepHandler();
        try (SmtpServer server = SmtpServer.builder().handlerFactory(info -> handler).build().start();
             TestSmtpClient c = TestSmtpClient.connectGreeted(server.port())) {
            c.command("EHLO x.example");
            assertThat(c.command("AUTH TEST").code()).isEqualTo(334);
            c.send("abc\ndef\r\n");
            assertThat(c.readReply().code()).isEqualTo(500);
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(handler.continuations).isEmpty();
        }
    }

    @Test
    void failedAuthCountsTowardsTheErrorLimit() throws Exception {
        TwoStepHandler handler = new TwoStepHandler();
        try (SmtpServer server = SmtpServer.builder().limits(SmtpLimits.defaults().withMaxErrors(2))
                .handlerFactory(info -> handler).build().start();
             TestSmtpClient c = TestSmtpClient.connectGreeted(server.port())) {
            c.command("EHLO x.example");
            c.command("AUTH TEST");
            c.command("x");
            assertThat(c.command("bad").code()).isEqualTo(535);
            c.command("AUTH TEST");
            c.command("x");
            List<Reply> last = c.readReplyAfter("bad");
            assertThat(last).extracting(Reply::code).containsExactly(535, 421);
        }
    }

    @Test
    void withoutTheHookAContinuationLineGets503() throws Exception {
        try (SmtpServer server = SmtpServer.builder().handlerFactory(info -> new SessionHandler() {
            @Override
            public Optional<Reply> onUnknownCommand(String verb, String args) {
                return Optional.of(Replies.authChallenge(""));
            }
        }).build().start(); TestSmtpClient c = TestSmtpClient.connectGreeted(server.port())) {
            c.command("EHLO x.example");
            assertThat(c.command("AUTH X").code()).isEqualTo(334);
            assertThat(c.command("anything").code()).isEqualTo(503);
        }
    }
}
