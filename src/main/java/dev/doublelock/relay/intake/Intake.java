package dev.doublelock.relay.intake;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.smtp.server.ConnectionInfo;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.smtp.server.SessionHandlerFactory;

import java.util.Objects;

/**
 * The relay's front door: a {@link SessionHandlerFactory} for one listener (submission or relay) that
 * accepts mail only from those allowed to send and answers 250 only once the message is in the durable
 * queue. Give it to {@code SmtpServer.builder().handlerFactory(...)}; both listeners may share one
 * {@link IntakeCounters}.
 * <pre>{@code
 * SmtpServer submission = SmtpServer.builder().startTls(new StartTlsSupport.Offered(upgrader))
 *         .handlerFactory(new Intake(store, options, ListenerRole.SUBMISSION, counters)).build().start();
 * }</pre>
 * The submission listener must offer STARTTLS: AUTH is refused (530 5.7.0) until TLS is up.
 */
public final class Intake implements SessionHandlerFactory {
    private final QueueStore store;
    private final IntakeOptions options;
    private final ListenerRole role;
    private final IntakeCounters counters;
    private final Runnable onQueued;

    public Intake(QueueStore store, IntakeOptions options, ListenerRole role, IntakeCounters counters) {
        this(store, options, role, counters, () -> { });
    }

    /** @param onQueued run after each message is durably queued, before the 250 (e.g. to wake the delivery loop) */
    public Intake(QueueStore store, IntakeOptions options, ListenerRole role, IntakeCounters counters,
                  Runnable onQueued) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.role = Objects.requireNonNull(role, "role");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.onQueued = Objects.requireNonNull(onQueued, "onQueued");
    }

    @Override
    public SessionHandler open(ConnectionInfo info) {
        return new IntakeSession(info, role, options, store, counters, onQueued);
    }

    public ListenerRole role() {
        return role;
    }
}
