package dev.doublelock.relay.intake;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.smtp.Reply;
import dev.doublelock.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.doublelock.relay.intake.IntakeFixture.PASSWORD;
import static dev.doublelock.relay.intake.IntakeFixture.USER;
import static dev.doublelock.relay.intake.SmtpTestClient.b64;
import static org.assertj.core.api.Assertions.assertThat;

/** The relay's intake over real loopback sockets and a real SQLite queue. */
class IntakeTest {
    private static final String MESSAGE = "From: a@client.test\r\nTo: b@example.org\r\nSubject: hi\r\n\r\n"
            + "body line 1\r\n..leading dot\r\n\u00fcml\u00e4ut 8bit\r\n";
    private static final String STUFFED_ON_WIRE = MESSAGE.replace("\r\n..leading", "\r\n...leading");

    @TempDir
    Path dir;

    @Test
    void relayFromAllowedNetworkIsQueuedByteForByteWithReceivedBefore250() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.relay.port())) {
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<a@client.test> BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@example.org>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            Reply done = c.command(STUFFED_ON_WIRE + ".");
            assertThat(done.code()).isEqualTo(250);
            long id = Long.parseLong(done.lines().get(0).replaceAll(".*queued as ", ""));

            QueuedMessage queued = f.store.find(id).orElseThrow();
            assertThat(queued.state()).isEqualTo(State.QUEUED);
            assertThat(queued.envelope().mailFrom()).isEqualTo("a@client.test");
            assertThat(queued.envelope().recipients()).containsExactly("b@example.org");
            assertThat(queued.envelope().params()).containsEntry("BODY", "8BITMIME");
            String stored = new String(f.store.messageBytes(id), StandardCharsets.UTF_8);
            assertThat(stored).startsWith("Received: from client.test ([127.0.0.1])\r\n\tby relay.test (doublelock) with ESMTP id ");
            assertThat(stored).contains("\tfor <b@example.org>;\r\n");
            String afterHeader = stored.substring(stored.indexOf("\r\n", stored.indexOf(";\r\n\t") + 3) + 2);
            assertThat(afterHeader).isEqualTo(MESSAGE);
            assertThat(f.counters.accepted()).isEqualTo(1);
            assertThat(f.queuedNotices).as("the delivery side is told once").hasValue(1);
        }
    }

    @Test
    void storeFailureAnswers451AndNever250() throws Exception {
        try (IntakeFixture real = new IntakeFixture(dir, NetworkAllowList.loopback())) {
            QueueStore failing = (QueueStore) Proxy.newProxyInstance(QueueStore.class.getClassLoader(),
                    new Class<?>[] {QueueStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("enqueue")) {
                            throw new dev.doublelock.queue.QueueException("disk full (simulated)");
                        }
                        return method.invoke(real.store, args);
                    });
            try (IntakeFixture f = new IntakeFixture(failing, NetworkAllowList.loopback());
                 SmtpTestClient c = SmtpTestClient.connect(f.relay.port())) {
                c.command("EHLO client.test");
                c.command("MAIL FROM:<a@client.test>");
                c.command("RCPT TO:<b@example.org>");
                c.command("DATA");
                Reply done = c.command(MESSAGE + ".");
                assertThat(done.code()).isEqualTo(451);
                assertThat(done.enhancedStatus()).isEqualTo("4.3.0");
                assertThat(f.counters.storeFailures()).isEqualTo(1);
                assertThat(f.counters.accepted()).isZero();
                assertThat(f.queuedNotices).as("nothing queued, nothing to wake").hasValue(0);
                assertThat(c.command("NOOP").code()).as("the session goes on").isEqualTo(250);
            }
        }
    }

    @Test
    void relayFromANetworkNotAllowedIsDeniedAtRcpt() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.parse(List.of("127.0.0.1/32")));
             SmtpTestClient c = SmtpTestClient.connect(f.relay.port(), InetAddress.getByName("127.0.0.2"))) {
            c.command("EHLO outsider.test");
            assertThat(c.command("MAIL FROM:<a@outsider.test>").code()).isEqualTo(250);
            Reply rcpt = c.command("RCPT TO:<victim@example.org>");
            assertThat(rcpt.code()).isEqualTo(554);
            assertThat(rcpt.enhancedStatus()).isEqualTo("5.7.1");
            assertThat(rcpt.lines().get(0)).isEqualTo("Relay access denied");
            assertThat(c.command("DATA").code()).as("no recipient, no data").isEqualTo(554);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).code())
                    .as("no AUTH on the relay port").isEqualTo(502);
            assertThat(f.store.counts().values().stream().mapToLong(Long::longValue).sum()).isZero();
            assertThat(f.counters.relayDenied()).isEqualTo(1);
        }
    }

    @Test
    void authIsNeitherAdvertisedNorAcceptedBeforeTls() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            Reply ehlo = c.command("EHLO client.test");
            assertThat(ehlo.lines()).contains("STARTTLS").noneMatch(l -> l.startsWith("AUTH"));
            Reply auth = c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD));
            assertThat(auth.code()).isEqualTo(530);
            assertThat(auth.summary()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(c.command("AUTH LOGIN").code()).isEqualTo(530);
            assertThat(c.command("MAIL FROM:<a@client.test>").summary()).isEqualTo("530 5.7.0 Authentication required");
            assertThat(f.counters.authSucceeded()).isZero();
        }
    }

    @Test
    void unauthenticatedSubmissionInsideTlsIsRefused() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            Reply ehlo = c.startTls(IntakeFixture.clientTls());
            assertThat(ehlo.lines()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(c.command("MAIL FROM:<a@client.test>").summary()).isEqualTo("530 5.7.0 Authentication required");
            assertThat(c.command("RCPT TO:<b@example.org>").code()).isEqualTo(503);
        }
    }

    @Test
    void authPlainWithInitialResponseThenSubmitAnywhere() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.parse(List.of()));
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            c.startTls(IntakeFixture.clientTls());
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).summary())
                    .isEqualTo("235 2.7.0 Authentication successful");
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).code()).isEqualTo(503);
            c.command("MAIL FROM:<alice@client.test>");
            assertThat(c.command("RCPT TO:<anyone@far-away.example>").code()).isEqualTo(250);
            c.command("DATA");
            Reply done = c.command(STUFFED_ON_WIRE + ".");
            assertThat(done.code()).isEqualTo(250);
            long id = Long.parseLong(done.lines().get(0).replaceAll(".*queued as ", ""));
            String stored = new String(f.store.messageBytes(id), StandardCharsets.UTF_8);
            assertThat(stored).contains(" with ESMTPSA id ").contains("(using TLSv1.3 with cipher TLS_")
                    .contains("(authenticated as alice)").endsWith(MESSAGE);
            assertThat(f.sleeps).isEmpty();
        }
    }

    @Test
    void authPlainWithoutInitialResponseUsesAContinuation() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            c.startTls(IntakeFixture.clientTls());
            assertThat(c.command("AUTH PLAIN").summary()).isEqualTo("334 ");
            assertThat(c.command(b64(USER + "\0" + USER + "\0" + PASSWORD)).code()).isEqualTo(235);
            assertThat(c.command("MAIL FROM:<alice@client.test>").code()).isEqualTo(250);
        }
    }

    @Test
    void authLoginSucceedsWithTheRightPassword() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            c.startTls(IntakeFixture.clientTls());
            assertThat(c.command("AUTH LOGIN").lines()).containsExactly(b64("Username:"));
            assertThat(c.command(b64(USER)).lines()).containsExactly(b64("Password:"));
            assertThat(c.command(b64(PASSWORD)).code()).isEqualTo(235);
            assertThat(f.counters.authSucceeded()).isEqualTo(1);
        }
    }

    @Test
    void credentialsTypedAsTheUserNameNeverReachTheLog() throws Exception {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            c.startTls(IntakeFixture.clientTls());
            c.command("AUTH LOGIN");
            assertThat(c.command(b64(USER + ":Typed-Secret-1")).lines()).containsExactly(b64("Password:"));
            assertThat(c.command(b64("Typed-Secret-2")).code()).isEqualTo(535);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "Typed-Secret-3\0wrong")).code()).isEqualTo(535);
            assertThat(f.counters.authFailed()).isEqualTo(2);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).as("the failures are logged").contains("AUTH failed from 127.0.0.1");
        assertThat(log).doesNotContain("Typed-Secret").doesNotContain(USER);
    }

    @Test
    void wrongPasswordsGet535AfterTheDelayAndCountAsErrors() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            c.startTls(IntakeFixture.clientTls());
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0wrong")).summary())
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            c.command("AUTH LOGIN");
            c.command(b64(USER));
            assertThat(c.command(b64("also wrong")).code()).isEqualTo(535);
            assertThat(c.command("AUTH PLAIN " + b64("\0nobody\0" + PASSWORD)).code()).as("unknown user").isEqualTo(535);
            assertThat(c.command("AUTH PLAIN " + b64("bob\0" + USER + "\0" + PASSWORD)).code())
                    .as("acting as another user is refused").isEqualTo(535);
            assertThat(f.sleeps).hasSize(4).allMatch(d -> d.equals(IntakeOptions.DEFAULT_AUTH_FAILURE_DELAY));
            assertThat(c.command("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(c.command("*").code()).as("cancelled").isEqualTo(501);
            assertThat(c.command("AUTH CRAM-MD5").code()).isEqualTo(504);
            assertThat(c.command("MAIL FROM:<a@client.test>").code()).isEqualTo(530);
            assertThat(f.counters.authFailed()).isEqualTo(4);
        }
    }

    @Test
    void fiftyWrongPasswordsFromOneAddressOverTenSessionsBlockItForTheConfiguredTimeOnly() throws Exception {
        MutableClock clock = MutableClock.now();
        AuthFailureLimit limit = new AuthFailureLimit(50, Duration.ofMinutes(10), Duration.ofMinutes(15));
        InetAddress attacker = InetAddress.getByName("127.0.0.3");
        InetAddress other = InetAddress.getByName("127.0.0.4");
        try (IntakeFixture f = new IntakeFixture(QueueStores.open(dir.resolve("q.db").toString()),
                NetworkAllowList.loopback(), o -> o.withClock(clock).withAuthFailureLimit(limit))) {
            for (int session = 0; session < 10; session++) {
                try (SmtpTestClient c = SmtpTestClient.connect(f.submission.port(), attacker)) {
                    c.startTls(IntakeFixture.clientTls());
                    for (int i = 0; i < 5; i++) {
                        Reply r = c.command("AUTH PLAIN " + b64("\0" + USER + "\0guess" + session + "-" + i));
                        if (session == 9 && i == 4) {
                            assertThat(r.code()).as("the 50th failure blocks the address").isEqualTo(421);
                            assertThat(r.summary()).startsWith("421 4.7.0 Too many failed authentications")
                                    .contains("15 minutes");
                            assertThat(c.closedByServer()).as("421 closes the channel").isTrue();
                        } else {
                            assertThat(r.code()).as("failure %d of session %d", i, session).isEqualTo(535);
                        }
                        clock.advance(Duration.ofSeconds(1)); // 50 failures in under a minute: inside the window
                    }
                }
            }
            try (SmtpTestClient c = SmtpTestClient.connect(f.submission.port(), attacker)) {
                c.startTls(IntakeFixture.clientTls());
                assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).code())
                        .as("blocked: the right password is refused too").isEqualTo(421);
            }
            try (SmtpTestClient c = SmtpTestClient.connect(f.submission.port(), other)) {
                c.startTls(IntakeFixture.clientTls());
                assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).code())
                        .as("another address still logs in").isEqualTo(235);
            }
            clock.advance(Duration.ofMinutes(15));
            try (SmtpTestClient c = SmtpTestClient.connect(f.submission.port(), attacker)) {
                c.startTls(IntakeFixture.clientTls());
                assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).code())
                        .as("after the block time the address may log in again").isEqualTo(235);
            }
            assertThat(f.counters.authFailed()).isEqualTo(50);
            assertThat(f.counters.authBlocked()).isEqualTo(2);
        }
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() throws Exception {
        MutableClock clock = MutableClock.now();
        AuthFailureGuard guard = new AuthFailureGuard(new AuthFailureLimit(3, Duration.ofMinutes(10),
                Duration.ofMinutes(5)), clock);
        InetAddress a = InetAddress.getByName("192.0.2.7");
        assertThat(guard.failed(a)).isFalse();
        assertThat(guard.failed(a)).isFalse();
        clock.advance(Duration.ofMinutes(11));
        assertThat(guard.failed(a)).as("the first two fell out of the window").isFalse();
        assertThat(guard.blocked(a)).isEmpty();
        assertThat(guard.failed(a)).isFalse();
        assertThat(guard.failed(a)).as("three within ten minutes").isTrue();
        assertThat(guard.blocked(a)).hasValue(Duration.ofMinutes(5));
        InetAddress sameSlash64 = InetAddress.getByName("2001:db8:1:2::1");
        InetAddress sibling = InetAddress.getByName("2001:db8:1:2:ffff::9");
        guard.failed(sameSlash64);
        guard.failed(sibling);
        assertThat(guard.failed(InetAddress.getByName("2001:db8:1:2::77"))).as("one /64 counts as one client").isTrue();
        assertThat(guard.blocked(InetAddress.getByName("2001:db8:1:3::1"))).as("the next /64 is another").isEmpty();
        assertThat(AuthFailureGuard.off().failed(a)).isFalse();
    }

    @Test
    void aSmuggledSecondMessageIsNeverQueued() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.relay.port())) {
            c.command("EHLO client.test");
            for (String fakeEnd : List.of("\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r\n")) {
                c.command("MAIL FROM:<a@client.test>");
                c.command("RCPT TO:<b@example.org>");
                c.command("DATA");
                Reply r = c.command("Subject: first\r\n\r\nhello" + fakeEnd
                        + "MAIL FROM:<evil@client.test>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
                        + "Subject: smuggled\r\n\r\nowned\r\n.");
                assertThat(r.code()).as("fake end %s", fakeEnd.replace("\r", "\\r").replace("\n", "\\n")).isEqualTo(550);
                assertThat(c.command("RSET").code()).isEqualTo(250);
            }
            assertThat(f.store.list(Set.of(), 100)).isEmpty();
            assertThat(f.counters.accepted()).isZero();
        }
    }

    @Test
    void commandsInjectedBeforeTheTlsHandshakeAreDiscarded() throws Exception {
        try (IntakeFixture f = new IntakeFixture(dir, NetworkAllowList.loopback());
             SmtpTestClient c = SmtpTestClient.connect(f.submission.port())) {
            c.command("EHLO client.test");
            c.send("STARTTLS\r\nEHLO injected.test\r\nAUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)
                    + "\r\nMAIL FROM:<evil@client.test>\r\n");
            assertThat(c.reply().code()).isEqualTo(220);
            c.handshake(IntakeFixture.clientTls());
            assertThat(c.command("MAIL FROM:<a@client.test>").code())
                    .as("the injected EHLO and AUTH were not executed").isEqualTo(503);
            assertThat(f.counters.authSucceeded()).isZero();
        }
    }
}
