package dev.doublelock.io;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class TranscriptTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void authCredentialsAreRedacted() {
        Transcript t = new Transcript(clock, 100);
        t.client("AUTH PLAIN AGFsaWNlAHNlY3JldA==");
        t.server("235 2.7.0 ok");
        t.client("AUTH LOGIN");
        t.server("334 VXNlcm5hbWU6");
        t.client("YWxpY2U=");
        t.server("334 UGFzc3dvcmQ6");
        t.client("c2VjcmV0");
        t.server("235 2.7.0 ok");
        t.client("MAIL FROM:<a@example.org>");
        assertThat(t.toString())
                .contains("C: AUTH PLAIN ***", "C: AUTH LOGIN", "C: MAIL FROM:<a@example.org>")
                .doesNotContain("AGFsaWNl", "YWxpY2U=", "c2VjcmV0");
    }

    @Test
    void transcriptIsBounded() {
        Transcript t = new Transcript(clock, 3);
        for (int i = 0; i < 10; i++) {
            t.client("NOOP " + i);
        }
        assertThat(t.entries()).hasSize(3);
        assertThat(t.dropped()).isEqualTo(7);
        assertThat(t.toString()).contains("7 more lines not kept");
    }
}
