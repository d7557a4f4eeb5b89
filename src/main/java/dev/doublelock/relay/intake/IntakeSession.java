package dev.doublelock.relay.intake;

import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.server.ConnectionInfo;
import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.tls.TlsHandshakeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One intake connection: decides who may send (AUTH after STARTTLS on submission, allow-listed networks
 * on relay) and puts accepted messages into the durable queue before answering 250. Protocol hardening
 * (limits, CRLF-only framing, STARTTLS injection) is the SMTP server's.
 */
final class IntakeSession implements SessionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeSession.class);
    /** Envelope parameters the delivery must carry on (RFC 6152 BODY, RFC 6531 SMTPUTF8). */
    private static final List<String> CARRIED_PARAMETERS = List.of("BODY", "SMTPUTF8");

    private final ConnectionInfo info;
    private final ListenerRole role;
    private final IntakeOptions options;
    private final QueueStore store;
    private final IntakeCounters counters;
    private final Runnable onQueued;
    private Optional<TlsHandshakeResult.Established> tls = Optional.empty();
    private Optional<String> user = Optional.empty();
    private SaslExchange sasl;
    private boolean inTransaction;

    IntakeSession(ConnectionInfo info, ListenerRole role, IntakeOptions options, QueueStore store, IntakeCounters counters,
                  Runnable onQueued) {
        this.info = info;
        this.role = role;
        this.options = options;
        this.store = store;
        this.counters = counters;
        this.onQueued = onQueued;
    }

    @Override
    public void onStartTls(TlsHandshakeResult result) {
        tls = result instanceof TlsHandshakeResult.Established e ? Optional.of(e) : Optional.empty();
        user = Optional.empty(); // RFC 3207 4.2: nothing from before TLS counts
        sasl = null;
        inTransaction = false;
    }

    @Override
    public List<String> extraEhloKeywords() {
        return role == ListenerRole.SUBMISSION && tls.isPresent() ? List.of("AUTH PLAIN LOGIN") : List.of();
    }

    @Override
    public Optional<Reply> onUnknownCommand(String verb, String args) {
        if (!verb.equals("AUTH")) {
            return Optional.empty();
        }
        if (role != ListenerRole.SUBMISSION) {
            return Optional.of(Replies.AUTH_NOT_AVAILABLE);
        }
        if (tls.isEmpty()) {
            return Optional.of(Replies.MUST_ISSUE_STARTTLS_FIRST);
        }
        if (user.isPresent()) {
            return Optional.of(Replies.ALREADY_AUTHENTICATED);
        }
        if (inTransaction) {
            return Optional.of(Replies.AUTH_NOT_IN_TRANSACTION);
        }
        Optional<Reply> blocked = blockedReply();
        if (blocked.isPresent()) {
            return blocked;
        }
        sasl = new SaslExchange();
        return Optional.of(advance(sasl.start(args)));
    }

    @Override
    public Reply onContinuation(String line) {
        if (sasl == null) {
            return Replies.BAD_SEQUENCE;
        }
        return advance(sasl.next(line));
    }

    private Reply advance(SaslExchange.Step step) {
        return switch (step) {
            case SaslExchange.Step.Challenge c -> Replies.authChallenge(c.base64());
            case SaslExchange.Step.Failed f -> {
                sasl = null;
                yield f.reply();
            }
            case SaslExchange.Step.Credentials c -> {
                sasl = null;
                yield check(c.user(), c.password());
            }
        };
    }

    /** 421 while the client's address is blocked for failing AUTH too often (the session then ends). */
    private Optional<Reply> blockedReply() {
        return options.authGuard().blocked(info.remote().getAddress()).map(left -> {
            counters.authBlocked.incrementAndGet();
            return Replies.authBlocked((left.toSeconds() + 59) / 60);
        });
    }

    private Reply check(String name, char[] password) {
        Optional<Reply> blocked = blockedReply();
        if (blocked.isPresent()) {
            // blocked meanwhile (by this address's other sessions): the right password does not help either
            if (password != null) {
                Arrays.fill(password, '\0');
            }
            return blocked.get();
        }
        boolean ok = password != null && options.users().authenticate(name, password);
        if (password != null) {
            Arrays.fill(password, '\0');
        }
        if (ok) {
            user = Optional.of(name);
            counters.authSucceeded.incrementAndGet();
            return Replies.AUTH_SUCCEEDED;
        }
        counters.authFailed.incrementAndGet();
        // never the user name: what a client sends as one may be a whole credential (a password typed at the
        // LOGIN username prompt, "user:password", "user\0password"); the address is what an operator acts on
        LOG.warn("AUTH failed from {}", info.remote().getAddress().getHostAddress());
        if (options.authGuard().failed(info.remote().getAddress())) {
            LOG.warn("AUTH blocked for {} after too many failures: {} gets 421 for a while",
                    AuthFailureGuard.key(info.remote().getAddress()), info.remote().getAddress().getHostAddress());
            counters.authBlocked.incrementAndGet();
            return Replies.authBlocked(options.authGuard().blocked(info.remote().getAddress())
                    .map(d -> (d.toSeconds() + 59) / 60).orElse(1L));
        }
        try {
            options.sleeper().sleep(options.authFailureDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Replies.AUTH_CREDENTIALS_INVALID;
    }

    @Override
    public Reply onMail(MailPath from, Map<String, String> params) {
        if (role == ListenerRole.SUBMISSION && user.isEmpty()) {
            counters.authRequired.incrementAndGet();
            return Replies.AUTHENTICATION_REQUIRED;
        }
        inTransaction = true;
        return Replies.SENDER_OK;
    }

    @Override
    public Reply onRcpt(MailPath to, Map<String, String> params) {
        if (role == ListenerRole.SUBMISSION) {
            if (user.isPresent()) {
                return Replies.RECIPIENT_OK;
            }
            counters.authRequired.incrementAndGet();
            return Replies.AUTHENTICATION_REQUIRED;
        }
        if (options.allowedNetworks().allows(info.remote().getAddress())) {
            return Replies.RECIPIENT_OK;
        }
        counters.relayDenied.incrementAndGet();
        LOG.warn("relay access denied to {} for {}", info.remote().getAddress().getHostAddress(), to);
        return Replies.RELAY_ACCESS_DENIED;
    }

    @Override
    public void onReset() {
        inTransaction = false;
    }

    /** Enqueues (durably) and only then answers 250 with the queue id; any store failure is 451 4.3.0. */
    @Override
    public Reply onMessage(ReceivedMessage msg) {
        inTransaction = false;
        String header = ReceivedHeader.of(msg, options.hostName(), user, options.clock().instant());
        long id;
        try {
            id = store.enqueue(envelope(msg), ReceivedHeader.prepend(header, msg.content()));
        } catch (RuntimeException e) {
            counters.storeFailures.incrementAndGet();
            LOG.error("could not queue a message from {}: {}", info.remote(), e.toString());
            return Replies.LOCAL_ERROR;
        }
        counters.accepted.incrementAndGet();
        try {
            onQueued.run();
        } catch (RuntimeException e) {
            LOG.warn("message {} is queued; notifying the delivery side failed: {}", id, e.toString());
        }
        return Replies.OK_QUEUED(Long.toString(id));
    }

    static Envelope envelope(ReceivedMessage msg) {
        String from = msg.from().isNull() ? "" : msg.from().address().toString();
        List<String> recipients = msg.recipients().stream().map(p -> p.address().toString()).toList();
        Map<String, String> params = new LinkedHashMap<>();
        msg.mailParameters().forEach((k, v) -> {
            if (CARRIED_PARAMETERS.contains(k.toUpperCase(Locale.ROOT))) {
                params.put(k.toUpperCase(Locale.ROOT), v);
            }
        });
        return new Envelope(from, recipients, params);
    }
}
