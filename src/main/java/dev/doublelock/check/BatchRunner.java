package dev.doublelock.check;

import java.io.BufferedReader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doublelock.policy.Verdict;

/**
 * Checks many targets with at most N in flight, handing each report to a sink the moment it is done. Targets
 * are read lazily and reports are not kept, so memory stays bounded by N whatever the number of targets.
 */
public final class BatchRunner {
    /**
     * What the sink receives for each line: a report, or a line that is not a target. {@code index} is the line's
     * position among the targets given (0-based), so a sink that wants input order (the HTML page) can restore it:
     * outcomes arrive in completion order.
     */
    public sealed interface Outcome {
        long index();

        record Checked(CheckReport report, long index) implements Outcome {
        }

        record Rejected(String line, String reason, long index) implements Outcome {
        }
    }

    /** Receives outcomes; called from several threads, but never concurrently (the runner serialises calls). */
    public interface Sink {
        void accept(Outcome outcome);
    }

    /** Counts per verdict, for the exit code. */
    public record Summary(int compliant, int nonCompliant, int incomplete, int rejected) {
        public int total() {
            return compliant + nonCompliant + incomplete + rejected;
        }

        /** 1 if anything is non-compliant, else 2 if anything could not be checked, else 0. */
        public int exitCode() {
            return nonCompliant > 0 ? 1 : incomplete + rejected > 0 ? 2 : 0;
        }
    }

    private final CheckRunner runner;
    private final int concurrency;

    public BatchRunner(CheckRunner runner, int concurrency) {
        if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
        this.runner = runner;
        this.concurrency = concurrency;
    }

    /** Lines of a batch file: one target per line; blank lines and lines starting with '#' are skipped. */
    public static Iterator<String> lines(BufferedReader reader) {
        return reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).iterator();
    }

    public Summary run(Iterator<String> targets, Sink sink) {
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        Object sinkLock = new Object();
        long next = 0;
        try {
            while (targets.hasNext()) {
                String line = targets.next();
                long index = next++;
                Target target;
                try {
                    target = Target.parse(line);
                } catch (IllegalArgumentException e) {
                    counts[3].incrementAndGet();
                    synchronized (sinkLock) {
                        sink.accept(new Outcome.Rejected(line, e.getMessage(), index));
                    }
                    continue;
                }
                slots.acquireUninterruptibly();
                Thread.ofVirtual().name("check-" + line).start(() -> {
                    try {
                        CheckReport report = runner.check(target);
                        counts[index(report.verdict())].incrementAndGet();
                        synchronized (sinkLock) {
                            sink.accept(new Outcome.Checked(report, index));
                        }
                    } catch (RuntimeException e) {
                        counts[3].incrementAndGet();
                        synchronized (sinkLock) {
                            sink.accept(new Outcome.Rejected(line, "internal error: " + e + "; please report it", index));
                        }
                    } finally {
                        slots.release();
                    }
                });
            }
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot read the batch file: " + e.getCause().getMessage(), e.getCause());
        }
        slots.acquireUninterruptibly(concurrency); // wait for the last ones
        return new Summary(counts[0].get(), counts[1].get(), counts[2].get(), counts[3].get());
    }

    private static int index(Verdict v) {
        return switch (v) {
            case COMPLIANT -> 0;
            case NON_COMPLIANT -> 1;
            case INCOMPLETE -> 2;
        };
    }
}
