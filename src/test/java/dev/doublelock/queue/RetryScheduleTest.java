package dev.doublelock.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant QUEUED = Instant.parse("2025-03-01T10:00:00Z");
    private final RetrySchedule exact = RetrySchedule.defaults().withJitter(0);

    @ParameterizedTest(name = "after failed run {0} wait {1}")
    @CsvSource({"1, PT1M", "2, PT5M", "3, PT15M", "4, PT30M", "5, PT1H", "6, PT2H", "7, PT2H", "60, PT2H"})
    void defaultBackoff(int failedRuns, Duration expected) {
        assertThat(exact.baseDelay(failedRuns)).isEqualTo(expected);
        assertThat(exact.delay(failedRuns)).isEqualTo(expected);
        assertThat(exact.nextAttempt(QUEUED, failedRuns, QUEUED.plusSeconds(10)))
                .contains(QUEUED.plusSeconds(10).plus(expected));
    }

    @ParameterizedTest(name = "{0} after queueing, already sent {1}: due {2}")
    @CsvSource({"PT3H59M, false, false", "PT4H, false, true", "PT4H, true, false", "PT30H, false, true",
            "P5D, false, false"})
    void delayNotice(Duration age, boolean alreadySent, boolean due) {
        assertThat(exact.delayNoticeDue(QUEUED, QUEUED.plus(age), alreadySent)).isEqualTo(due);
    }

    @Test
    void theSameSeedGivesTheSameJitterWithinBounds() {
        List<Duration> first = draws(RetrySchedule.defaults().withRandom(new Random(42)));
        List<Duration> second = draws(RetrySchedule.defaults().withRandom(new Random(42)));
        assertThat(first).isEqualTo(second);
        assertThat(first).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMinutes(108), Duration.ofMinutes(132)));
        assertThat(first.stream().distinct().count()).as("jitter actually varies the delay").isGreaterThan(10);
        assertThat(draws(RetrySchedule.defaults().withRandom(new Random(43)))).isNotEqualTo(first);
    }

    private static List<Duration> draws(RetrySchedule schedule) {
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            out.add(schedule.delay(9));
        }
        return out;
    }

    @Test
    void withoutJitterTheDefaultScheduleMakes66RunsAndEndsAtTheDeadline() {
        // runs at 0, 1m, 6m, 21m, 51m, 1h51m, then every 2 h up to 119h51m (59 more), then one at 120 h
        Instant now = QUEUED;
        int runs = 1;
        Optional<Instant> next;
        Instant last = now;
        while ((next = exact.nextAttempt(QUEUED, runs, now)).isPresent()) {
            assertThat(next.get()).isAfter(now);
            now = next.get();
            last = now;
            runs++;
        }
        assertThat(runs).isEqualTo(66);
        assertThat(last).isEqualTo(QUEUED.plus(Duration.ofDays(5)));
        assertThat(exact.expired(QUEUED, last)).isTrue();
    }

    @Test
    void theNextAttemptNeverPassesTheDeadline() {
        Instant nearDeadline = QUEUED.plus(Duration.ofDays(5)).minusSeconds(60);
        assertThat(exact.nextAttempt(QUEUED, 30, nearDeadline)).contains(QUEUED.plus(Duration.ofDays(5)));
        assertThat(exact.nextAttempt(QUEUED, 30, QUEUED.plus(Duration.ofDays(6)))).isEmpty();
    }

    @Test
    void customSchedulesAreHonoured() {
        RetrySchedule custom = exact.withSteps(List.of(Duration.ofSeconds(10)), Duration.ofMinutes(3))
                .withGiveUpAfter(Duration.ofHours(1)).withDelayNoticeAfter(Duration.ofMinutes(10));
        assertThat(custom.baseDelay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(custom.baseDelay(2)).isEqualTo(Duration.ofMinutes(3));
        assertThat(custom.nextAttempt(QUEUED, 2, QUEUED.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(custom.delayNoticeDue(QUEUED, QUEUED.plus(Duration.ofMinutes(10)), false)).isTrue();
        RetrySchedule never = custom.withDelayNoticeAfter(Duration.ZERO);
        assertThat(never.delayNoticeDue(QUEUED, QUEUED.plus(Duration.ofMinutes(59)), false))
                .as("delay warning time 0: no notice, as in Postfix").isFalse();
        assertThatThrownBy(() -> custom.withDelayNoticeAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noDelayNoticeForBouncesFinishedMessagesOrSentNotices() {
        Instant late = QUEUED.plus(Duration.ofHours(5));
        assertThat(exact.delayNoticeDue(message("alice@x", State.DEFERRED, null), late)).isTrue();
        assertThat(exact.delayNoticeDue(message("", State.DEFERRED, null), late)).isFalse();
        assertThat(exact.delayNoticeDue(message("alice@x", State.DELIVERED, null), late)).isFalse();
        assertThat(exact.delayNoticeDue(message("alice@x", State.DEFERRED, QUEUED.plusSeconds(1)), late)).isFalse();
    }

    private static QueuedMessage message(String from, State state, Instant noticeSent) {
        return new QueuedMessage(1, "", new Envelope(from, List.of("b@y")), 10, QUEUED, state, 3, QUEUED,
                Map.of("b@y", RecipientState.PENDING), null, null, null, noticeSent);
    }

    @Test
    void badSettingsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> exact.withJitter(1.0)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> exact.withSteps(List.of(Duration.ofSeconds(-1)), Duration.ofHours(1)))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> exact.baseDelay(0)).hasMessageContaining("from 1");
    }
}
