package dev.doublelock.lab;

import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.client.Dialer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class ReportMailerTest {
    static SessionRecord record(String mailFrom, LabProfile profile, Verdict verdict) {
        return new SessionRecord(1, "sid1", Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"),
                profile.profileName(), 2531, "192.0.2.7", "mta.sender.example", "established", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", null, null, false, mailFrom, List.of("x@lab.test"), 100, "<m@x>", "s", 1, 0,
                "QUIT", verdict, null, List.of("<m@x>"));
    }

    @Test
    void reportsOncePerDomainNeverToNullSenderAlwaysFromNullSender() throws Exception {
        List<ReceivedMessage> got = new CopyOnWriteArrayList<>();
        try (SmtpServer smarthost = SmtpServer.builder().bind(new InetSocketAddress("127.0.0.1", 0)).hostName("smarthost.test")
                .handlerFactory(info -> new SessionHandler() {
                    @Override
                    public Reply onMessage(ReceivedMessage msg) {
                        got.add(msg);
                        return Replies.OK_QUEUED("r1");
                    }
                }).build().start()) {
            ReportMailer mailer = new ReportMailer(new ReportMailOptions(true, "postmaster@lab.example",
                    Optional.of(smarthost.address()), Duration.ofHours(24)), Optional.empty(), Dialer.direct(),
                    Clock.fixed(Instant.parse("2026-11-28T10:00:05Z"), ZoneOffset.UTC), "lab.example");
            assertThat(mailer.consider(record("alice@sender.example", LabProfile.WRONG_HOST, Verdict.DELIVERED_INSECURELY))).isTrue();
            assertThat(mailer.consider(record("bob@sender.example", LabProfile.EXPIRED, Verdict.DELIVERED_INSECURELY)))
                    .as("second report to the same domain within a day").isFalse();
            assertThat(mailer.consider(record("", LabProfile.EXPIRED, Verdict.DELIVERED_INSECURELY))).as("null sender").isFalse();
            assertThat(mailer.consider(record("carol@other.example", LabProfile.EXPIRED, Verdict.REFUSED_AT_HANDSHAKE)))
                    .as("a sender that refused passed the test").isFalse();
            for (int i = 0; i < 100 && got.isEmpty(); i++) Thread.sleep(50);
            assertThat(got).hasSize(1);
            ReceivedMessage m = got.get(0);
            assertThat(m.from().isNull()).as("reports go out from the null sender: nothing can answer them").isTrue();
            assertThat(m.recipients().get(0).address().toString()).isEqualTo("alice@sender.example");
            String text = new String(m.content(), StandardCharsets.UTF_8);
            assertThat(text).contains("Auto-Submitted: auto-generated", "wrong-host", "BAD_CERT_DOMAIN", "192.0.2.7");
        }
    }

    @Test
    void disabledByDefault() {
        ReportMailer mailer = new ReportMailer(ReportMailOptions.disabled(), Optional.empty(), Dialer.direct(),
                Clock.systemUTC(), "lab.example");
        assertThat(mailer.consider(record("alice@sender.example", LabProfile.SHAME, Verdict.DELIVERED_INSECURELY))).isFalse();
    }
}
