package dev.doublelock.relay;

import dev.doublelock.queue.RetrySchedule;

import java.time.Duration;

/**
 * How hard and how patiently the delivery engine works (the config's {@code delivery} object).
 *
 * @param concurrency               most messages delivered at once by this node
 * @param perDestinationConcurrency most deliveries at once to one recipient domain
 * @param lease                     how long a claimed message belongs to this node before another node (or
 *                                  this one after a restart) may take it over; renewed while delivering
 * @param pollInterval              how often an idle node looks for due messages
 * @param connectionCacheTime       how long a judged TLS connection to a destination stays open after its last
 *                                  message, for the next one (zero: only within one batch of due messages)
 * @param maximalQueueLifetime      how long a message may wait before it is bounced (Postfix's
 *                                  {@code maximal_queue_lifetime}, default 5 days)
 * @param delayWarningTime          how long a message waits before its sender gets one delay notice (Postfix's
 *                                  {@code delay_warning_time}; default 4 hours; zero: never)
 */
public record DeliveryTuning(int concurrency, int perDestinationConcurrency, Duration lease, Duration pollInterval,
                             Duration connectionCacheTime, Duration maximalQueueLifetime, Duration delayWarningTime) {
    public static final int DEFAULT_CONCURRENCY = 20;
    public static final int DEFAULT_PER_DESTINATION = 4;
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    /** Like Postfix's {@code smtp_connection_cache_time_limit}. */
    public static final Duration DEFAULT_CONNECTION_CACHE_TIME = Duration.ofSeconds(2);

    public DeliveryTuning {
        if (concurrency < 1 || perDestinationConcurrency < 1) {
            throw new IllegalArgumentException("concurrency and perDestinationConcurrency must be at least 1");
        }
        if (lease.isNegative() || lease.isZero() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("lease and pollInterval must be positive");
        }
        if (connectionCacheTime.isNegative()) {
            throw new IllegalArgumentException("connectionCacheTime must be zero (off) or positive");
        }
        if (maximalQueueLifetime.isNegative() || maximalQueueLifetime.isZero() || delayWarningTime.isNegative()) {
            throw new IllegalArgumentException("maximalQueueLifetime must be positive, delayWarningTime zero (off) or "
                    + "positive");
        }
    }

    /** With the default lifetime and delay notice. */
    public DeliveryTuning(int concurrency, int perDestinationConcurrency, Duration lease, Duration pollInterval,
                          Duration connectionCacheTime) {
        this(concurrency, perDestinationConcurrency, lease, pollInterval, connectionCacheTime,
                RetrySchedule.DEFAULT_GIVE_UP, RetrySchedule.DEFAULT_DELAY_NOTICE);
    }

    /** The retry schedule these times give (the default retry steps). */
    public RetrySchedule schedule() {
        return RetrySchedule.defaults().withGiveUpAfter(maximalQueueLifetime).withDelayNoticeAfter(delayWarningTime);
    }

    /**
     * 20 messages at once, 4 per domain, 5-minute leases, look for work every 5 s when idle, judged connections
     * kept 2 s for the next message.
     */
    public static DeliveryTuning defaults() {
        return new DeliveryTuning(DEFAULT_CONCURRENCY, DEFAULT_PER_DESTINATION, DEFAULT_LEASE, DEFAULT_POLL_INTERVAL,
                DEFAULT_CONNECTION_CACHE_TIME);
    }
}
