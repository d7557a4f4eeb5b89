package dev.doublelock.cli;

import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.ClientTlsConfig;
import dev.doublelock.smtp.client.DeliveryResult;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.smtp.client.SmtpClientSession;
import dev.doublelock.tls.PkixTrust;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code doublelock bench-smtp}: a load generator for bench/ scripts. N concurrent senders each run
 * EHLO, STARTTLS (verified against --trust), EHLO, MAIL, RCPT, DATA, QUIT in a loop for a fixed time,
 * then it prints sessions/s and latency percentiles. Loopback use only.
 */
@Command(name = "bench-smtp", hidden = true, mixinStandardHelpOptions = true,
        description = "Load generator for the bench/ scripts: concurrent full SMTP+STARTTLS sessions against one endpoint.")
final class BenchSmtpCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;
    @Option(names = "--port", required = true)
    int port;
    @Option(names = "--name", defaultValue = "localhost", description = "Name the certificate must match.")
    String name;
    @Option(names = "--trust", description = "PEM CA to trust (required unless --plain).")
    Path trust;
    @Option(names = "--plain", description = "No STARTTLS: plaintext sessions.")
    boolean plain;
    @Option(names = "--to", defaultValue = "sink@lab.test", description = "Envelope recipient.")
    String to;
    @Option(names = "--messages-per-session", defaultValue = "1", description = "Transactions per session.")
    int messagesPerSession;
    @Option(names = "--accept-latency",
            description = "Also print messages, messages/s and accept latency (MAIL FROM to the 250 after DATA) percentiles.")
    boolean acceptLatency;
    @Option(names = "--concurrency", defaultValue = "200")
    int concurrency;
    @Option(names = "--seconds", defaultValue = "20")
    int seconds;
    @Option(names = "--label", defaultValue = "target")
    String label;
    @Option(names = "--rate", defaultValue = "0",
            description = "Open loop: start this many sessions per second on a fixed schedule (at most --concurrency "
                    + "at once; a start that finds them all busy is counted as skipped) instead of --concurrency "
                    + "senders each starting the next session when the last one ended. 0 = closed loop.")
    double rate;
    @Option(names = "--latency-log",
            description = "Write one line per accepted message of the measured phase to this file: when its MAIL FROM "
                    + "was sent (ms since the epoch), the accept latency and the session's time until then (ms).")
    Path latencyLog;
    @Option(names = "--warmup", defaultValue = "0",
            description = "Seconds of the same load before measuring (not counted): lets a JVM target compile its hot code.")
    int warmup;

    @Override
    public Integer call() throws Exception {
        if (!host.startsWith("127.") && !host.equals("::1") && !host.equals("localhost")) {
            System.err.println("bench-smtp only talks to loopback addresses");
            return 2;
        }
        if (!plain && trust == null) {
            System.err.println("bench-smtp: give --trust CA.pem (to verify the STARTTLS certificate) or --plain");
            return 2;
        }
        if (messagesPerSession < 1 || concurrency < 1 || seconds < 1 || warmup < 0 || rate < 0) {
            System.err.println("bench-smtp: --messages-per-session, --concurrency and --seconds must be at least 1");
            return 2;
        }
        ClientTlsConfig tls = plain ? null : ClientTlsConfig.verifying(PkixTrust.clientContext(Pem.readCertificates(trust)), name);
        byte[] message = ("From: <bench@sender.test>\r\nTo: <" + to + ">\r\nSubject: bench\r\n\r\n"
                + ("x".repeat(76) + "\r\n").repeat(26)).getBytes(StandardCharsets.US_ASCII);
        if (warmup > 0) {
            Phase w = load(tls, message, warmup);
            System.err.printf("%s: warm-up %d sessions in %d s, %d failed%n", label, w.latencies.size(), warmup, w.failures.get());
        }
        Phase r = load(tls, message, seconds);
        if (latencyLog != null) {
            StringBuilder sb = new StringBuilder("# mail_from_sent_epoch_ms accept_ms session_before_ms\n");
            r.acceptLog.stream().sorted(java.util.Comparator.comparingLong(a -> a[0])).forEach(a -> sb.append(a[0])
                    .append(' ').append(String.format(java.util.Locale.ROOT, "%.2f %.2f", a[1] / 1e6, a[2] / 1e6)).append('\n'));
            java.nio.file.Files.writeString(latencyLog, sb);
        }
        double elapsed = r.elapsed;
        List<Long> sorted = new ArrayList<>(r.latencies);
        Collections.sort(sorted);
        String line = String.format("%s: %d sessions in %.1f s = %.1f sessions/s; p50 %.1f ms, p99 %.1f ms; %d failed",
                label, sorted.size(), elapsed, sorted.size() / elapsed, pct(sorted, 50), pct(sorted, 99), r.failures.get());
        if (rate > 0) {
            line += String.format("; offered %.1f sessions/s, %d skipped (all %d in flight)", rate, r.skipped.get(), concurrency);
        }
        if (acceptLatency) {
            List<Long> accepted = new ArrayList<>(r.accepts);
            Collections.sort(accepted);
            line += String.format("; %d messages = %.1f messages/s; accept p50 %.1f ms, accept p99 %.1f ms",
                    accepted.size(), accepted.size() / elapsed, pct(accepted, 50), pct(accepted, 99));
            line += "; first accept at " + r.firstAcceptMillis.get() + " ms since the epoch";
        }
        System.out.println(line);
        return r.failures.get() > sorted.size() / 100 ? 1 : 0;
    }

    /** What one timed phase of load saw. */
    private record Phase(ConcurrentLinkedQueue<Long> latencies, ConcurrentLinkedQueue<Long> accepts,
                         ConcurrentLinkedQueue<long[]> acceptLog, AtomicLong firstAcceptMillis, AtomicInteger failures, AtomicInteger skipped, double elapsed) {}

    private Phase load(ClientTlsConfig tls, byte[] message, int phaseSeconds) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(phaseSeconds).toNanos();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> accepts = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> acceptLog = new ConcurrentLinkedQueue<>();
        AtomicLong firstAcceptMillis = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger firstErrors = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        Runnable session = () -> {
            long t0 = System.nanoTime();
            try (SmtpClientSession s = SmtpClientSession.connect(Dialer.direct(), new InetSocketAddress(host, port),
                    name, ClientOptions.defaults("bench.sender.test"))) {
                s.ehlo();
                if (tls != null) {
                    StartTlsOutcome o = s.startTls(tls);
                    if (!o.isEstablished()) throw new IllegalStateException("STARTTLS: " + o);
                }
                for (int m = 0; m < messagesPerSession; m++) {
                    long a0 = System.nanoTime();
                    long wall = System.currentTimeMillis();
                    DeliveryResult r = s.send("bench@sender.test", List.of(to), Map.of(), message);
                    if (!r.anyAccepted()) throw new IllegalStateException("not accepted: " + r);
                    long a1 = System.nanoTime();
                    accepts.add(a1 - a0);
                    if (latencyLog != null) acceptLog.add(new long[] {wall, a1 - a0, a0 - t0});
                    firstAcceptMillis.compareAndSet(0, System.currentTimeMillis());
                }
                s.quit();
                latencies.add(System.nanoTime() - t0);
            } catch (Exception e) {
                failures.incrementAndGet();
                if (firstErrors.incrementAndGet() <= 3) System.err.println(label + ": session failed: " + e);
            }
        };
        if (rate > 0) {
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(concurrency);
            long interval = (long) (1e9 / rate);
            for (long next = started; next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                if (!slots.tryAcquire()) {
                    skipped.incrementAndGet();
                    continue;
                }
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        session.run();
                    } finally {
                        slots.release();
                    }
                }));
            }
        } else {
            for (int i = 0; i < concurrency; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < end) session.run();
                }));
            }
        }
        for (Thread t : threads) t.join();
        return new Phase(latencies, accepts, acceptLog, firstAcceptMillis, failures, skipped, (System.nanoTime() - started) / 1e9);
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return Double.NaN;
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }
}
