package dev.doublelock.relay.delivery;

import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
import dev.doublelock.smtp.client.Dialer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The relay's delivery side: claims due messages from the {@link QueueStore} under a lease, delivers each
 * per recipient domain only over TLS its policy accepts ({@link HopDelivery}), records every attempt, then
 * marks recipients delivered, defers the rest on the {@link dev.doublelock.queue.RetrySchedule}, sends one
 * delayed-delivery DSN when the schedule says so, and bounces with a DSN naming the findings when it gives up.
 *
 * <p>Never loses a message: state changes happen only after the remote server answered; a message whose
 * node dies or shuts down mid-delivery stays DELIVERING until its lease expires and is then taken over.
 * Leases of messages in flight are renewed in the background.
 *
 * <p>A claim batch is split into groups by recipient domains; each group is delivered in order over a
 * {@link SessionPool} of its own, so messages with the same delivery decision share one judged SMTP session.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final QueueStore store;
    private final DeliveryOptions options;
    private final Clock clock;
    private final DeliveryMetrics metrics = new DeliveryMetrics();
    private final DsnBuilder dsn;
    private final MessageRun runner;
    private final Optional<DeliveryLog> log;
    private final Map<String, Semaphore> perDestination = new ConcurrentHashMap<>();
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots;
    /** At most a permit or two: released by {@link #wake()}, taken by the idle loop. */
    private final Semaphore wakeups = new Semaphore(0);
    /** Judged connections kept across claim batches (null when {@code connectionCacheTime} is zero). */
    private final SessionPool connectionCache;
    private final Optional<dev.doublelock.dns.MailResolver> resolver;
    private Thread loop;
    private Thread renewer;
    private Thread sweeper;

    public DeliveryWorker(QueueStore store, Router router, DeliveryOptions options, Dialer dialer, Clock clock) {
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.dsn = new DsnBuilder(options.postmasterAddress());
        this.slots = new Semaphore(options.concurrency());
        this.connectionCache = options.connectionCacheTime().isZero() ? null
                : SessionPool.shared(clock, options.connectionCacheTime(), options.perDestinationConcurrency());
        if (connectionCache != null) {
            metrics.cachedConnectionsFrom(connectionCache::idleSessions);
        }
        TlsSetup tls = new TlsSetup(options.extraTrustAnchors(), options.jdkTrustAnchors(), clock);
        this.log = options.deliveryLog().map(DeliveryLog::open);
        Router routes = options.mxPort() == 25 ? router : router.withMxPort(options.mxPort());
        this.resolver = router.resolver();
        this.runner = new MessageRun(store, routes, options, new HopDelivery(dialer, options.clientOptions(), tls, metrics), tls,
                metrics, log, clock,
                d -> perDestination.computeIfAbsent(d, k -> new Semaphore(options.perDestinationConcurrency())),
                domainSecurity(routes, options, store, clock));
    }

    /**
     * DANE and MTA-STS need DNS: with a resolver they are on, with the MTA-STS policy cache kept in the queue's
     * database (RFC 8461 §5.1: a restart does not forget a policy before its max_age). The policy host's address is
     * asked of the same resolver as everything else (not of the operating system's).
     */
    private static DomainSecurity domainSecurity(Router router, DeliveryOptions options, QueueStore store,
                                                 Clock clock) {
        Optional<StsLookup> sts = router.resolver().map(r -> new StsLookup(r,
                options.stsFetcher().orElseGet(() -> StsFetcher.resolvingThrough(
                        StsFetcher.PolicyHostAddresses.from(r), Duration.ofSeconds(10))),
                store.stsCache(), clock));
        return new DomainSecurity(router.resolver(), sts);
    }

    /**
     * Asks the resolver once, in the background, whether it passes DNSSEC data, puts the answer into the metrics
     * ({@code doublelock_resolver_dnssec}) and, when it withholds it, says so through {@code notices}: DANE needs
     * validated TLSA records, so DANE domains are then delivered to as non-DANE (their MTA-STS policy and the local
     * policy still apply). Answers from such a resolver are never Bogus (see {@link dev.doublelock.dns.DnssecSupport});
     * a Bogus from a resolver that passes DNSSEC still stops delivery. Without a resolver (static routes only) nothing
     * happens.
     *
     * @return the probe's thread, or empty without a resolver
     */
    public Optional<Thread> probeResolverDnssec(java.util.function.Consumer<String> notices) {
        return resolver.map(r -> Thread.ofVirtual().name("resolver-dnssec-probe").start(() -> {
            dev.doublelock.dns.DnssecSupport support = r.dnssecSupport();
            metrics.resolverDnssec(support.state());
            if (support.withheld()) {
                String warning = "relay: WARNING: the DNS resolver withholds DNSSEC data (" + support.evidence()
                        + "). DANE cannot be used; MTA-STS still can: mail to DANE domains goes out as if they had no "
                        + "TLSA records, under their MTA-STS policy and the local policy. Point the relay at a "
                        + "DNSSEC-aware resolver (a local unbound, or e.g. 9.9.9.9 or 1.1.1.1) in /etc/resolv.conf "
                        + "or with the JVM property dns.server=HOST:PORT.";
                notices.accept(warning);
            } else {
                LOG.info("resolver DNSSEC support: {} ({})", support.state(), support.evidence());
            }
        }));
    }

    /**
     * Starts the background loop (claim, deliver; when idle, wait {@code pollInterval} or until {@link #wake()})
     * and the lease renewer.
     */
    public synchronized void start() {
        if (loop != null) {
            throw new IllegalStateException("the delivery worker is already running");
        }
        loop = Thread.ofVirtual().name("delivery-loop").start(() -> {
            while (!stopping.get()) {
                try {
                    if (claimAndDispatch() == 0) {
                        idle();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("delivery loop: {} (retrying after {})", e.toString(), options.pollInterval());
                    try {
                        Thread.sleep(options.pollInterval());
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
        renewer = every("lease-renewer", options.lease().dividedBy(3), this::renewLeases);
        if (connectionCache != null) {
            Duration half = options.connectionCacheTime().dividedBy(2);
            sweeper = every("connection-cache-sweeper", half.compareTo(Duration.ofMillis(100)) < 0
                    ? Duration.ofMillis(100) : half, connectionCache::sweep);
        }
    }

    /** A virtual thread that runs {@code task} every {@code period} until the worker stops; a failed round is logged. */
    private Thread every(String name, Duration period, Runnable task) {
        return Thread.ofVirtual().name(name).start(() -> {
            while (!stopping.get()) {
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: {}", name, e.toString());
                }
            }
        });
    }

    /**
     * Tells the background loop that mail was queued: an idle loop looks for due messages now instead of at the
     * end of its {@code pollInterval}. Cheap; call it after every enqueue.
     */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void idle() throws InterruptedException {
        if (wakeups.tryAcquire(options.pollInterval().toNanos(), TimeUnit.NANOSECONDS)) {
            wakeups.drainPermits();
        }
    }

    /**
     * Processes everything due now, synchronously, and returns the number of messages processed. A message is
     * processed at most once per call.
     */
    public int runOnce() {
        Set<Long> seen = new HashSet<>();
        int total = 0;
        while (!stopping.get()) {
            List<QueuedMessage> batch = store.claimDue(options.nodeId(), clock.instant(), options.concurrency(),
                    options.lease());
            if (batch.isEmpty()) {
                break;
            }
            List<Future<?>> futures = new ArrayList<>();
            List<QueuedMessage> todo = new ArrayList<>();
            for (QueuedMessage m : batch) {
                if (!seen.add(m.id())) {
                    // due again within one call (a lease expired meanwhile): leave it for the next call
                    store.defer(m.id(), clock.instant(), "released: already processed in this run");
                    continue;
                }
                todo.add(m);
            }
            int fresh = todo.size();
            for (List<QueuedMessage> group : byDestination(todo)) {
                futures.add(executor.submit(() -> processGroup(group, m -> { })));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return total;
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.error("delivery failed unexpectedly: {}", e.getCause().toString(), e.getCause());
                }
            }
            total += fresh;
            if (fresh == 0) {
                break;
            }
        }
        return total;
    }

    /** Claims up to the free slots and hands each message to a virtual thread; returns how many. */
    private int claimAndDispatch() throws InterruptedException {
        slots.acquire();
        int free = 1 + slots.drainPermits();
        List<QueuedMessage> batch = store.claimDue(options.nodeId(), clock.instant(), free, options.lease());
        slots.release(free - batch.size());
        for (List<QueuedMessage> group : byDestination(batch)) {
            executor.submit(() -> processGroup(group, m -> slots.release()));
        }
        return batch.size();
    }

    /**
     * The batch in groups of messages for the same recipient domains, each to be delivered one after the other so
     * that they can share SMTP sessions (see {@link SessionPool}; whether two messages really share one is decided
     * per hop address by the pool's key). Claim order is kept within a group.
     */
    static List<List<QueuedMessage>> byDestination(List<QueuedMessage> batch) {
        Map<String, List<QueuedMessage>> groups = new java.util.LinkedHashMap<>();
        for (QueuedMessage m : batch) {
            String key = m.pendingRecipients().stream().map(MessageRun::domainOf).distinct().sorted()
                    .collect(Collectors.joining(","));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * Delivers a group in order over the connection cache, or (when it is off) over a session pool scoped to the
     * group and closed (QUIT) at its end; {@code done} runs after each message whatever happened to it. Every
     * message of the group counts as in flight (its lease is renewed) until it is finished.
     */
    private void processGroup(List<QueuedMessage> group, java.util.function.Consumer<QueuedMessage> done) {
        group.forEach(m -> inFlight.add(m.id()));
        int finished = 0;
        SessionPool pool = connectionCache != null ? connectionCache : SessionPool.forBatch(clock);
        try {
            for (QueuedMessage m : group) {
                try {
                    process(m, pool);
                } finally {
                    inFlight.remove(m.id());
                    finished++;
                    done.accept(m);
                }
            }
        } finally {
            if (pool != connectionCache) {
                pool.close();
            }
            for (QueuedMessage m : group.subList(finished, group.size())) {
                inFlight.remove(m.id());
                done.accept(m);
            }
        }
    }

    private void process(QueuedMessage m, SessionPool pool) {
        inFlight.add(m.id());
        try {
            byte[] bytes = store.messageBytes(m.id());
            MessageRun.Result r = runner.run(m, bytes, pool);
            finish(m, bytes, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("message {} interrupted during shutdown; it is retried when its lease ends", m.id());
        } catch (RuntimeException e) {
            LOG.error("message {}: {}; deferring it", m.id(), e.toString(), e);
            deferAfterFailure(m, "internal error: " + e.getMessage());
        } finally {
            inFlight.remove(m.id());
        }
    }

    private void finish(QueuedMessage m, byte[] bytes, MessageRun.Result r) {
        Instant now = clock.instant();
        State state = r.outcomes().isEmpty() ? m.state() : store.markDelivered(m.id(), r.outcomes());
        long delivered = r.outcomes().values().stream().filter(s -> s == dev.doublelock.queue.RecipientState.DELIVERED)
                .count();
        metrics.recipientsDelivered((int) delivered);
        noteReasons(m, r);
        if (!r.permanent().isEmpty()) {
            metrics.recipientsBounced(r.permanent().size());
            sendDsn(m, bytes, new ArrayList<>(r.permanent().values()), false, now);
        }
        if (state.isFinal()) {
            return;
        }
        List<RecipientFailure> waiting = m.pendingRecipients().stream().filter(p -> !r.outcomes().containsKey(p))
                .map(p -> r.temporary().getOrDefault(p, new RecipientFailure(p, "4.0.0", Optional.empty(),
                        Optional.empty(), List.of(), "not yet delivered")))
                .toList();
        if (waiting.isEmpty()) {
            return;
        }
        String reason = waiting.stream().map(w -> w.recipient() + ": " + w.operatorReason()).distinct()
                .collect(Collectors.joining("; "));
        Optional<Instant> next = options.schedule().nextAttempt(m.queuedAt(), Math.max(1, m.attempts()), now);
        if (next.isPresent()) {
            store.defer(m.id(), next.get(), reason);
            metrics.messageDeferred();
            QueuedMessage current = store.find(m.id()).orElse(m);
            if (options.schedule().delayNoticeDue(current, now)) {
                if (sendDsn(m, bytes, waiting, true, now)) {
                    store.markDelayNoticeSent(m.id(), now);
                }
            }
        } else {
            boolean someDelivered = store.find(m.id()).map(q -> !q.recipientsIn(
                    dev.doublelock.queue.RecipientState.DELIVERED).isEmpty()).orElse(false);
            if (someDelivered) {
                Map<String, dev.doublelock.queue.RecipientState> failed = new java.util.LinkedHashMap<>();
                waiting.forEach(w -> failed.put(w.recipient(), dev.doublelock.queue.RecipientState.FAILED));
                store.markDelivered(m.id(), failed);
            } else {
                store.bounce(m.id(), "given up after " + options.schedule().giveUpAfter() + ": " + reason);
            }
            metrics.recipientsBounced(waiting.size());
            sendDsn(m, bytes, waiting, false, now);
        }
    }

    /** Per recipient that failed in this run, why (for {@code queue list}); nothing is written when all went well. */
    private void noteReasons(QueuedMessage m, MessageRun.Result r) {
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        r.temporary().forEach((rcpt, f) -> reasons.put(rcpt, f.operatorReason()));
        r.permanent().forEach((rcpt, f) -> reasons.put(rcpt, f.operatorReason()));
        if (reasons.isEmpty()) {
            return;
        }
        try {
            store.noteReasons(m.id(), reasons);
        } catch (RuntimeException e) {
            LOG.warn("message {}: cannot record the recipients' reasons: {}", m.id(), e.toString());
        }
    }

    /** Enqueues a DSN to the sender (never for the null sender); true if one was enqueued. */
    private boolean sendDsn(QueuedMessage m, byte[] original, List<RecipientFailure> failures, boolean delayed,
                            Instant now) {
        Optional<Envelope> envelope = DsnBuilder.envelopeFor(m);
        if (envelope.isEmpty()) {
            LOG.info("message {} has the null sender: no DSN is sent (RFC 5321 §6.1)", m.id());
            return false;
        }
        byte[] report = delayed
                ? dsn.delay(m, original, failures, options.ehloName(), now, options.schedule().giveUpAt(m.queuedAt()))
                : dsn.bounce(m, original, failures, options.ehloName(), now);
        long id = store.enqueue(envelope.get(), report);
        metrics.dsnSent();
        LOG.info("message {}: {} DSN enqueued as {} to <{}>", m.id(), delayed ? "delayed" : "bounce", id,
                m.envelope().mailFrom());
        return true;
    }

    private void deferAfterFailure(QueuedMessage m, String reason) {
        try {
            Instant now = clock.instant();
            store.defer(m.id(), options.schedule().nextAttempt(m.queuedAt(), Math.max(1, m.attempts()), now)
                    .orElse(now.plus(Duration.ofMinutes(5))), reason);
        } catch (RuntimeException e) {
            LOG.error("cannot defer message {} ({}); it is retried when its lease ends", m.id(), e.toString());
        }
    }

    private void renewLeases() {
        for (Long id : inFlight) {
            try {
                if (!store.renewLease(id, options.nodeId(), options.lease())) {
                    LOG.warn("lost the lease of message {}: another node may deliver it too", id);
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot renew the lease of message {}: {}", id, e.toString());
            }
        }
    }

    public DeliveryMetrics metrics() {
        return metrics;
    }

    /**
     * Stops claiming, lets deliveries in flight finish for up to 30 seconds, then interrupts them; an
     * interrupted message stays DELIVERING until its lease ends and is then delivered again (never lost).
     */
    @Override
    public void close() {
        stopping.set(true);
        Thread l;
        Thread r;
        synchronized (this) {
            l = loop;
            r = renewer;
        }
        if (l != null) {
            l.interrupt();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} deliveries still running after {}; leaving them to lease expiry", inFlight.size(), GRACE);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (r != null) {
            r.interrupt();
        }
        Thread sw;
        synchronized (this) {
            sw = sweeper;
        }
        if (sw != null) {
            sw.interrupt();
        }
        if (connectionCache != null) {
            connectionCache.close();
        }
        log.ifPresent(DeliveryLog::close);
    }
}
