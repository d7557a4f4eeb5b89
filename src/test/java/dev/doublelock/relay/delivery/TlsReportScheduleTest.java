package dev.doublelock.relay.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TlsReportScheduleTest {
    @Test
    void runsOnceADayBetween0010And0110Utc() {
        Random r = new Random(7);
        for (Instant now : new Instant[] {Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-02T13:00:00Z"),
                Instant.parse("2026-12-02T23:59:59Z")}) {
            Instant next = TlsReportSchedule.nextRun(now, r);
            assertThat(next).isAfter(now).isBefore(now.plus(Duration.ofHours(26)));
            int minuteOfDay = next.atZone(java.time.ZoneOffset.UTC).getHour() * 60 + next.atZone(java.time.ZoneOffset.UTC).getMinute();
            assertThat(minuteOfDay).isBetween(10, 70);
        }
    }
}
