package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.RecipientState;
import dev.doublelock.queue.State;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DsnBuilderTest {
    static final Instant NOW = Instant.parse("2026-02-03T10:00:00Z");
    static final byte[] ORIGINAL = "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: quarterly report\r\n\r\nsecret body\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    static final Finding EXPIRED = new Finding(FindingCode.EXPIRED_CERTIFICATE, Severity.FAIL,
            "127.0.0.1:25 certificate #0 (CN=mx)", "notAfter 1970-01-02T00:00:00Z", "bsi.cert.expired (RFC 5280)",
            "Renew the server certificate and automate renewal (e.g. ACME).");
    static final Finding WEAK = new Finding(FindingCode.WEAK_KEY, Severity.FAIL, "127.0.0.1:25 certificate #0",
            "RSA 1024 bit", "bsi.cert.key.minimum", "Issue a new key and certificate.");

    static QueuedMessage message(String from) {
        return new QueuedMessage(7, "<m1@example.org>", new Envelope(from, List.of("bob@example.net", "carol@example.net")),
                ORIGINAL.length, NOW.minusSeconds(3600), State.DELIVERING, 3, NOW,
                Map.of("bob@example.net", RecipientState.PENDING, "carol@example.net", RecipientState.PENDING),
                "node", NOW, null, null);
    }

    @Test
    void bounceIsAMultipartReportWithWordsMachinePartAndOriginalHeaders() {
        RecipientFailure bob = new RecipientFailure("bob@example.net", "4.7.5", Optional.of("mx.example.net"),
                Optional.empty(), List.of(EXPIRED, WEAK), "The relay did not hand your message to mx.example.net.");
        RecipientFailure carol = new RecipientFailure("carol@example.net", "5.1.1", Optional.of("mx.example.net"),
                Optional.of("550 5.1.1 No such user"), List.of(), "");
        byte[] bytes = new DsnBuilder("postmaster@relay.test").bounce(message("alice@example.org"), ORIGINAL,
                List.of(bob, carol), "relay.test", NOW);
        Dsn dsn = Dsn.parse(bytes);

        assertThat(dsn.header()).contains("Content-Type: multipart/report; report-type=delivery-status;")
                .contains("From: Mail Delivery System <postmaster@relay.test>").contains("To: <alice@example.org>")
                .contains("Auto-Submitted: auto-replied").contains("In-Reply-To: <m1@example.org>");
        assertThat(dsn.parts()).extracting(Dsn.Part::contentType)
                .containsExactly("text/plain", "message/delivery-status", "text/rfc822-headers");
        String human = dsn.parts().get(0).body();
        assertThat(human).contains("the receiving server's certificate expired on 1970-01-02")
                .contains("EXPIRED_CERTIFICATE").contains("WEAK_KEY").contains("too short")
                .contains("Renew the server certificate").contains("550 5.1.1 No such user");
        String machine = dsn.parts().get(1).body();
        assertThat(machine).contains("Reporting-MTA: dns; relay.test")
                .contains("Final-Recipient: rfc822; bob@example.net\r\nAction: failed\r\nStatus: 5.7.5\r\n"
                        + "Remote-MTA: dns; mx.example.net\r\n")
                .contains("Diagnostic-Code: X-doublelock; policy refused: EXPIRED_CERTIFICATE WEAK_KEY")
                .contains("Final-Recipient: rfc822; carol@example.net\r\nAction: failed\r\nStatus: 5.1.1")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 No such user");
        assertThat(dsn.parts().get(2).body()).contains("Subject: quarterly report").doesNotContain("secret body");
        String wire = new String(bytes, StandardCharsets.UTF_8);
        assertThat(wire.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        assertThat(wire.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThan(998));
    }

    @Test
    void delayReportSaysDelayedWithTransientStatusAndRetryUntil() {
        RecipientFailure bob = new RecipientFailure("bob@example.net", "5.7.5", Optional.of("mx.example.net"),
                Optional.empty(), List.of(EXPIRED), "refused");
        Dsn dsn = Dsn.parse(new DsnBuilder("postmaster@relay.test").delay(message("alice@example.org"), ORIGINAL,
                List.of(bob), "relay.test", NOW, NOW.plusSeconds(86400)));
        assertThat(dsn.header()).contains("Subject: Delayed Mail");
        assertThat(dsn.parts().get(1).body()).contains("Action: delayed").contains("Status: 4.7.5")
                .contains("Will-Retry-Until: Wed, 4 Feb 2026 10:00:00 +0000");
        assertThat(dsn.parts().get(0).body().replaceAll("\\s+", " ")).contains("still in the queue").contains("expired on 1970-01-02");
    }

    @Test
    void nullSenderMessagesNeverGetADsn() {
        QueuedMessage bounceItself = message("");
        assertThat(DsnBuilder.envelopeFor(bounceItself)).isEmpty();
        assertThatThrownBy(() -> new DsnBuilder("postmaster@relay.test").bounce(bounceItself, ORIGINAL,
                List.of(new RecipientFailure("bob@example.net", "5.1.1", Optional.empty(), Optional.empty(), List.of(), "")),
                "relay.test", NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RFC 5321");
    }

    @Test
    void dsnTravelsWithTheNullSenderToTheOriginalSender() {
        Envelope e = DsnBuilder.envelopeFor(message("alice@example.org")).orElseThrow();
        assertThat(e.nullSender()).isTrue();
        assertThat(e.recipients()).containsExactly("alice@example.org");
    }
}
