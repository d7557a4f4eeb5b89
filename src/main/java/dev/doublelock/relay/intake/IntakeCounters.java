package dev.doublelock.relay.intake;

import java.util.concurrent.atomic.AtomicLong;

/** What the intake listeners did since start, for the metrics endpoint. Thread-safe. */
public final class IntakeCounters {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong relayDenied = new AtomicLong();
    final AtomicLong authRequired = new AtomicLong();
    final AtomicLong authSucceeded = new AtomicLong();
    final AtomicLong authFailed = new AtomicLong();
    final AtomicLong storeFailures = new AtomicLong();
    final AtomicLong authBlocked = new AtomicLong();

    /** Messages enqueued and answered 250. */
    public long accepted() {
        return accepted.get();
    }

    /** RCPT TO refused with 554 5.7.1 (client not in the allowed networks). */
    public long relayDenied() {
        return relayDenied.get();
    }

    /** MAIL/RCPT refused on the submission port because the client had not authenticated. */
    public long authRequired() {
        return authRequired.get();
    }

    public long authSucceeded() {
        return authSucceeded.get();
    }

    public long authFailed() {
        return authFailed.get();
    }

    /** AUTH attempts answered 421 because the client's address failed too often (see {@link AuthFailureGuard}). */
    public long authBlocked() {
        return authBlocked.get();
    }

    /** Messages answered 451 because the queue could not store them. */
    public long storeFailures() {
        return storeFailures.get();
    }

    /** The counters as collectors of the Prometheus Java client (the client adds {@code _total}). */
    public java.util.List<io.prometheus.metrics.model.registry.Collector> collectors() {
        return java.util.List.of(
                counter("doublelock_intake_accepted", "Messages accepted into the queue (answered 250).", accepted),
                counter("doublelock_intake_relay_denied", "Recipients refused with 554 5.7.1 relay access denied.", relayDenied),
                counter("doublelock_intake_auth_required", "Submission commands refused: authentication required.", authRequired),
                counter("doublelock_intake_auth_succeeded", "Successful SMTP AUTH exchanges.", authSucceeded),
                counter("doublelock_intake_auth_failed", "Failed SMTP AUTH exchanges (535).", authFailed),
                counter("doublelock_intake_auth_blocked", "AUTH attempts answered 421: too many failures from the address.", authBlocked),
                counter("doublelock_intake_store_failures", "Messages answered 451 because the queue failed.", storeFailures));
    }

    private static io.prometheus.metrics.core.metrics.CounterWithCallback counter(String name, String help, AtomicLong value) {
        return io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.get())).build();
    }
}
