package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Reply;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests with a fixed seed (printed in failures): random bytes never crash the server, every
 * random CRLF-terminated command line gets exactly one well-formed reply, and a normal session works
 * afterwards.
 */
class RobustnessFuzzTest {
    private static final long SEED = 0x5EED_5A7FL;
    private static final List<String> VERBS = List.of("EHLO", "HELO", "MAIL", "RCPT", "RSET", "NOOP", "VRFY",
            "HELP", "AUTH", "mail", "Rcpt", "X", "", "STARTTLS ", "DATA x");
    private static final String ARG_CHARS = "<>@:.= \"\\abcXYZ019-_\u00e9\u4e2d\t";

    @Test
    void randomBytesNeverBreakTheServer() throws Exception {
        Random random = new Random(SEED);
        SmtpLimits limits = SmtpLimits.defaults().withCommandTimeout(Duration.ofSeconds(2));
        try (ServerFixture fx = ServerFixture.withLimits(limits)) {
            for (int i = 0; i < 40; i++) {
                byte[] noise = new byte[random.nextInt(3000)];
                random.nextBytes(noise);
                sprinkle(random, noise);
                try (TestSmtpClient c = fx.client()) {
                    c.sendBytes(noise);
                    c.shutdownOutput();
                    drainUntilClosed(c);
                } catch (SocketException serverClosedFirst) {
                    // too many errors: the server may close while we still write
                }
                assertThat(fx.nextHandler().awaitClose()).as("seed %d, round %d", SEED, i).isNotNull();
            }
            assertNormalSessionWorks(fx);
        }
    }

    @Test
    void everyRandomCommandLineGetsExactlyOneReply() throws Exception {
        Random random = new Random(SEED + 1);
        try (ServerFixture fx = ServerFixture.withLimits(SmtpLimits.defaults().withMaxErrors(100_000));
             TestSmtpClient c = fx.client()) {
            for (int i = 0; i < 2000; i++) {
                String line = VERBS.get(random.nextInt(VERBS.size())) + " " + randomArgs(random);
                Reply reply = c.command(line);
                assertThat(reply.code()).as("seed %d, line %d: %s", SEED + 1, i, line).isBetween(200, 599);
                if (reply.code() == 354 || reply.code() == 220 || reply.code() == 221) {
                    throw new AssertionError("generator produced a state-changing command: " + line);
                }
            }
            assertThat(c.command("EXPN marker").code()).as("no stray reply is pending").isEqualTo(502);
            assertThat(c.command("RSET").code()).isEqualTo(250);
        }
    }

    private static String randomArgs(Random random) {
        StringBuilder sb = new StringBuilder();
        if (random.nextBoolean()) {
            sb.append(random.nextBoolean() ? "FROM:" : "TO:");
        }
        int n = random.nextInt(random.nextInt(10) == 0 ? 700 : 40);
        for (int i = 0; i < n; i++) {
            sb.append(ARG_CHARS.charAt(random.nextInt(ARG_CHARS.length())));
        }
        return sb.toString();
    }

    /** Puts CR, LF, dots and NULs into the noise so line handling is exercised, not just binary junk. */
    private static void sprinkle(Random random, byte[] noise) {
        byte[] special = {'\r', '\n', '.', 0, ' '};
        for (int j = 0; j < noise.length / 10; j++) {
            noise[random.nextInt(noise.length)] = special[random.nextInt(special.length)];
        }
    }

    private static void drainUntilClosed(TestSmtpClient c) throws IOException {
        while (true) {
            try {
                c.readReply();
            } catch (EOFException | SocketException | IllegalArgumentException closedOrGarbled) {
                return;
            }
        }
    }

    private static void assertNormalSessionWorks(ServerFixture fx) throws Exception {
        try (TestSmtpClient c = fx.client()) {
            c.command("EHLO after.fuzz");
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@example.org>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            c.send("Subject: ok\r\n\r\nstill alive\r\n.\r\n");
            assertThat(c.readReply().code()).isEqualTo(250);
        }
        assertThat(fx.nextHandler().messages).hasSize(1);
    }
}
