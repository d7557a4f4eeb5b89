package dev.doublelock.relay.intake;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.relay.ServerTls;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.testing.TestTls;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A submission and a relay listener on loopback port 0 over an SQLite queue in a temporary folder. */
final class IntakeFixture implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "correct horse battery staple";
    private static final CertifiedKey KEY = new CertificateBuilder().dnsNames("localhost").build();

    final QueueStore store;
    final IntakeCounters counters = new IntakeCounters();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    /** How often the intake said "queued" to the delivery side (the relay wakes its delivery loop with it). */
    final java.util.concurrent.atomic.AtomicInteger queuedNotices = new java.util.concurrent.atomic.AtomicInteger();
    final SmtpServer submission;
    final SmtpServer relay;

    IntakeFixture(Path dir, NetworkAllowList allowed) throws Exception {
        this(QueueStores.open(dir.resolve("queue.db").toString()), allowed);
    }

    IntakeFixture(QueueStore store, NetworkAllowList allowed) throws Exception {
        this(store, allowed, o -> o);
    }

    /** @param customize changes the intake options (one instance for both listeners, as in the relay) */
    IntakeFixture(QueueStore store, NetworkAllowList allowed, java.util.function.UnaryOperator<IntakeOptions> customize)
            throws Exception {
        this.store = store;
        UserDirectory users = new UserDirectory(Map.of(USER,
                PasswordHash.create(PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS)));
        IntakeOptions options = IntakeOptions.defaults("relay.test").withUsers(users).withAllowedNetworks(allowed)
                .withSleeper(sleeps::add);
        options = customize.apply(options);
        StartTlsSupport tls = new StartTlsSupport.Offered(ServerTls.upgrader(ServerTls.context(KEY)));
        submission = SmtpServer.builder().hostName("relay.test").startTls(tls)
                .handlerFactory(new Intake(store, options, ListenerRole.SUBMISSION, counters,
                        queuedNotices::incrementAndGet)).build().start();
        relay = SmtpServer.builder().hostName("relay.test").startTls(tls)
                .handlerFactory(new Intake(store, options, ListenerRole.RELAY, counters,
                        queuedNotices::incrementAndGet)).build().start();
    }

    static SSLContext clientTls() throws Exception {
        return TestTls.trusting(KEY.leaf());
    }

    @Override
    public void close() {
        submission.close();
        relay.close();
        store.close();
    }
}
