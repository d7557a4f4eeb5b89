package dev.doublelock.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * When to try a deferred message again, when to warn its sender, and when to give up.
 *
 * <p>After the n-th failed delivery run the next one waits {@code steps[n-1]}, and
 * {@code repeatEvery} once the steps are used up, each stretched or shrunk by a random factor in
 * {@code [1 - jitter, 1 + jitter]} so that messages deferred together do not return together. A message
 * older than {@code giveUpAfter} is bounced; the last run is scheduled no later than that deadline.
 * A delayed-delivery DSN (RFC 3464 {@code Action: delayed}) is due once, when a message has waited
 * {@code delayNoticeAfter}. Defaults: 1 min, 5 min, 15 min, 30 min, 1 h, then every 2 h, ±10 %,
 * give up after 5 days, delay notice after 4 hours (close to Postfix's and Exim's habits).
 *
 * <p>Immutable; the {@code with…} methods return changed copies. Pass a seeded {@link Random} for
 * reproducible jitter; times are always passed in, so no clock is read here.
 */
public final class RetrySchedule {

    public static final List<Duration> DEFAULT_STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1));
    public static final Duration DEFAULT_REPEAT = Duration.ofHours(2);
    public static final double DEFAULT_JITTER = 0.10;
    public static final Duration DEFAULT_GIVE_UP = Duration.ofDays(5);
    public static final Duration DEFAULT_DELAY_NOTICE = Duration.ofHours(4);

    private final List<Duration> steps;
    private final Duration repeatEvery;
    private final double jitter;
    private final Duration giveUpAfter;
    private final Duration delayNoticeAfter;
    private final Random random;

    private RetrySchedule(List<Duration> steps, Duration repeatEvery, double jitter, Duration giveUpAfter,
                          Duration delayNoticeAfter, Random random) {
        this.steps = List.copyOf(steps);
        this.steps.forEach(s -> requirePositive("retry step", s));
        this.repeatEvery = requirePositive("repeat interval", repeatEvery);
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be a fraction in [0, 1), e.g. 0.1 for ±10 %: " + jitter);
        }
        this.jitter = jitter;
        this.giveUpAfter = requirePositive("give-up age", giveUpAfter);
        if (delayNoticeAfter.isNegative()) {
            throw new IllegalArgumentException("delay-notice age must be zero (no notice) or positive: " + delayNoticeAfter);
        }
        this.delayNoticeAfter = delayNoticeAfter;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The default schedule with unseeded jitter. */
    public static RetrySchedule defaults() {
        return new RetrySchedule(DEFAULT_STEPS, DEFAULT_REPEAT, DEFAULT_JITTER, DEFAULT_GIVE_UP,
                DEFAULT_DELAY_NOTICE, new Random());
    }

    public RetrySchedule withSteps(List<Duration> newSteps, Duration newRepeatEvery) {
        return new RetrySchedule(newSteps, newRepeatEvery, jitter, giveUpAfter, delayNoticeAfter, random);
    }

    public RetrySchedule withJitter(double newJitter) {
        return new RetrySchedule(steps, repeatEvery, newJitter, giveUpAfter, delayNoticeAfter, random);
    }

    public RetrySchedule withGiveUpAfter(Duration newGiveUpAfter) {
        return new RetrySchedule(steps, repeatEvery, jitter, newGiveUpAfter, delayNoticeAfter, random);
    }

    public RetrySchedule withDelayNoticeAfter(Duration newDelayNoticeAfter) {
        return new RetrySchedule(steps, repeatEvery, jitter, giveUpAfter, newDelayNoticeAfter, random);
    }

    /** The same schedule drawing its jitter from {@code newRandom} (seed it for reproducible times). */
    public RetrySchedule withRandom(Random newRandom) {
        return new RetrySchedule(steps, repeatEvery, jitter, giveUpAfter, delayNoticeAfter, newRandom);
    }

    /** The wait after the {@code failedRuns}-th failed delivery run (1 = the first), before jitter. */
    public Duration baseDelay(int failedRuns) {
        if (failedRuns < 1) {
            throw new IllegalArgumentException("failedRuns counts from 1: " + failedRuns);
        }
        return failedRuns <= steps.size() ? steps.get(failedRuns - 1) : repeatEvery;
    }

    /** {@link #baseDelay} with jitter applied (never below one second). */
    public Duration delay(int failedRuns) {
        long base = baseDelay(failedRuns).toMillis();
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1000, Math.round(base * factor)));
    }

    /**
     * When to try again after the {@code failedRuns}-th failed run ending at {@code now}, or empty if the
     * message has reached {@link #giveUpAt} and must be bounced.
     */
    public Optional<Instant> nextAttempt(Instant queuedAt, int failedRuns, Instant now) {
        Instant deadline = giveUpAt(queuedAt);
        if (!now.isBefore(deadline)) {
            return Optional.empty();
        }
        Instant next = now.plus(delay(failedRuns));
        return Optional.of(next.isAfter(deadline) ? deadline : next);
    }

    /** The moment a message queued at {@code queuedAt} is given up on. */
    public Instant giveUpAt(Instant queuedAt) {
        return queuedAt.plus(giveUpAfter);
    }

    /** True once a message queued at {@code queuedAt} is too old to try again. */
    public boolean expired(Instant queuedAt, Instant now) {
        return !now.isBefore(giveUpAt(queuedAt));
    }

    /**
     * True if the delayed-delivery notice should go out now: the message has waited at least
     * {@code delayNoticeAfter}, none was sent yet, and it is not yet time to give up (then a bounce is due
     * instead).
     */
    public boolean delayNoticeDue(Instant queuedAt, Instant now, boolean alreadySent) {
        return !alreadySent && !delayNoticeAfter.isZero() && !now.isBefore(queuedAt.plus(delayNoticeAfter))
                && !expired(queuedAt, now);
    }

    /**
     * {@link #delayNoticeDue(Instant, Instant, boolean)} for a stored message: also false when it is
     * finished, has no pending recipient, or has the null sender (no DSN about a DSN, RFC 3461 §6.2).
     */
    public boolean delayNoticeDue(QueuedMessage message, Instant now) {
        return !message.state().isFinal() && !message.pendingRecipients().isEmpty()
                && !message.envelope().nullSender()
                && delayNoticeDue(message.queuedAt(), now, message.delayNoticeSentAt() != null);
    }

    public Duration giveUpAfter() {
        return giveUpAfter;
    }

    public Duration delayNoticeAfter() {
        return delayNoticeAfter;
    }

    @Override
    public String toString() {
        return "RetrySchedule" + steps + " then every " + repeatEvery + ", ±" + Math.round(jitter * 100)
                + " %, give up after " + giveUpAfter + ", delay notice after " + delayNoticeAfter;
    }

    private static Duration requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration: " + d);
        }
        return d;
    }
}
