package dev.doublelock.relay.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * Sends the previous UTC day's TLS reports once a day, at a random time between 00:10 and 01:10 UTC (RFC 8460 §4.2
 * asks senders to spread their reports), on a daemon thread. Every node runs one; the queue's claim makes one of
 * them send each report. A run that fails is logged and tried again at the next day's run for that day only if no
 * node claimed it.
 */
public final class TlsReportSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReportSchedule.class);
    private final Thread thread;

    public TlsReportSchedule(TlsReportSender sender, Clock clock, Random random) {
        thread = Thread.ofPlatform().daemon().name("tlsrpt-schedule").unstarted(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Instant now = clock.instant();
                Instant next = nextRun(now, random);
                try {
                    Thread.sleep(Duration.between(now, next).toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                LocalDate day = next.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
                try {
                    sender.send(day).forEach(s -> LOG.info("TLS report {} for {}: {} {}", day, s.domain(), s.destinations(), s.note()));
                } catch (RuntimeException e) {
                    LOG.warn("TLS reports for {} failed: {}", day, e.toString());
                }
            }
        });
    }

    /** The next run after {@code now}: the coming 00:10 UTC plus up to an hour. */
    static Instant nextRun(Instant now, Random random) {
        Instant today = now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant()
                .plus(Duration.ofMinutes(10)).plusSeconds(random.nextInt(3600));
        return today.isAfter(now) ? today : today.plus(Duration.ofDays(1));
    }

    public TlsReportSchedule start() {
        thread.start();
        return this;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
