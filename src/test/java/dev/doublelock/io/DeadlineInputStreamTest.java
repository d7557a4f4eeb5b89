package dev.doublelock.io;

import dev.doublelock.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlineInputStreamTest {
    @Test
    void idleDeadlineGovernsTheFirstOctetAndTheUnitDeadlineTheRest() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<Integer> timeouts = new ArrayList<>();
        DeadlineInputStream in = new DeadlineInputStream(new ByteArrayInputStream(new byte[]{1, 2, 3}), timeouts::add, clock);
        in.beginUnit(Duration.ofSeconds(300), Duration.ofSeconds(60), false);
        assertThat(in.read()).isEqualTo(1);
        assertThat(timeouts).containsExactly(300_000);
        clock.advance(Duration.ofSeconds(59));
        assertThat(in.read()).isEqualTo(2);
        assertThat(timeouts).containsExactly(300_000, 1_000);
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("60000 ms");
    }

    @Test
    void pipelinedUnitStartsItsClockImmediately() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<Integer> timeouts = new ArrayList<>();
        DeadlineInputStream in = new DeadlineInputStream(new ByteArrayInputStream(new byte[]{1}), timeouts::add, clock);
        in.beginUnit(Duration.ofSeconds(300), Duration.ofSeconds(60), true);
        in.read();
        assertThat(timeouts).containsExactly(60_000);
    }
}
