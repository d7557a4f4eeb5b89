package dev.doublelock.cli;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.relay.delivery.OperatorBounce;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code doublelock queue list|show ID|retry ID|hold ID|release ID|flush|delete ID|bounce ID}: the operator's view of the relay's
 * queue. Exit codes: 0 done, 1 no such message or not in a state the action applies to, 2 a bad config file,
 * 3 no queue at the location (none is created), 4 the queue is unusable (0-byte or corrupt file, database down).
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Inspect and manage the relay's queue (the one in --config, or --queue URL).",
        subcommands = {QueueListCommand.class, QueueShowCommand.class, QueueCommand.Retry.class,
                QueueCommand.Hold.class, QueueCommand.Release.class, QueueCommand.Flush.class,
                QueueCommand.Delete.class, QueueCommand.Bounce.class})
public final class QueueCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Opens the queue (never creating one), runs {@code action}, turns failures into one line and an exit code
     * (see {@link ExitCodes}: 2 bad config, 3 no queue at the location, 4 queue unusable or unreachable).
     */
    static int withQueue(CommandSpec spec, QueueTarget target, BiFunction<QueueStore, PrintWriter, Integer> action) {
        PrintWriter err = spec.commandLine().getErr();
        try (QueueStore store = target.open()) {
            return action.apply(store, spec.commandLine().getOut());
        } catch (RuntimeException e) {
            return ExitCodes.report(spec, e);
        } finally {
            spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    static Map<String, Object> summary(QueuedMessage m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", m.id());
        row.put("state", m.state().name());
        row.put("attempts", m.attempts());
        row.put("queued_at", m.queuedAt().toString());
        row.put("next_attempt_at", m.nextAttemptAt().toString());
        row.put("mail_from", m.envelope().mailFrom());
        row.put("recipients", m.recipients());
        row.put("size", m.size());
        row.put("message_id", m.messageId());
        row.put("reason", m.reason());
        return row;
    }

    static Map<String, Object> attempt(Attempt a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("at", a.at().toString());
        row.put("outcome", a.outcome());
        row.put("mx", a.mxHost());
        row.put("ip", a.ip());
        row.put("tls_protocol", a.tlsProtocol());
        row.put("tls_cipher", a.tlsCipher());
        row.put("policy_verdict", a.policyVerdict());
        row.put("findings", a.findingCodes());
        row.put("domain", a.domain());
        row.put("refusal_codes", a.refusalCodes());
        row.put("would_refuse", a.wouldRefuse());
        row.put("findings_text", a.findingsText());
        row.put("reply", reply(a));
        row.put("duration_ms", a.duration().toMillis());
        return row;
    }

    /**
     * The remote's reply as one line: "550 5.1.1 No such user". The delivery worker stores the reply's summary,
     * which already starts with the code (and enhanced status); older rows may hold only the text.
     */
    static String reply(Attempt a) {
        if (a.replyCode() == 0) {
            return null;
        }
        String text = a.replyText() == null ? "" : a.replyText().strip();
        String code = Integer.toString(a.replyCode());
        if (text.equals(code) || text.startsWith(code + " ") || text.startsWith(code + "-")) {
            return text;
        }
        return (code + (a.enhanced() == null ? "" : " " + a.enhanced()) + " " + text).strip();
    }

    /** One operator action on one message (retry, hold, release, delete, bounce). */
    abstract static class Action implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        QueueTarget target;
        @Parameters(paramLabel = "ID", description = "queue id (see 'queue list')")
        long id;

        /** What the action did, in words, or empty if it does not apply to the message in its state. */
        abstract Optional<String> act(QueueStore store, QueuedMessage m);

        /** Why it does not apply, beyond the state (default: nothing more). */
        String whyNot(QueuedMessage m) {
            return "";
        }

        @Override
        public Integer call() {
            return withQueue(spec, target, (store, out) -> {
                QueuedMessage m = store.find(id).orElse(null);
                if (m == null) {
                    spec.commandLine().getErr().println("queue: no message " + id + "; see 'doublelock queue list'");
                    return 1;
                }
                Optional<String> did = act(store, m);
                if (did.isEmpty()) {
                    spec.commandLine().getErr().println("queue: message " + id + " is " + m.state() + whyNot(m)
                            + "; " + spec.name() + " does not apply to it");
                    return 1;
                }
                out.println("message " + id + ": " + did.get());
                return 0;
            });
        }
    }

    /** An action that is one state change: {@link #apply}, then "DONE (now STATE)". */
    abstract static class StateChange extends Action {
        abstract boolean apply(QueueStore store, long id);

        abstract String done();

        @Override
        Optional<String> act(QueueStore store, QueuedMessage m) {
            if (!apply(store, m.id())) {
                return Optional.empty();
            }
            return Optional.of(done() + " (now " + store.find(m.id()).map(QueuedMessage::state).orElse(null) + ")");
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Make a queued or deferred message due now.")
    static final class Retry extends StateChange {
        boolean apply(QueueStore store, long id) {
            return store.retryNow(id);
        }

        String done() {
            return "due now";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a message without notice (its envelope and history stay, the bytes go).")
    static final class Delete extends StateChange {
        boolean apply(QueueStore store, long id) {
            return store.delete(id);
        }

        String done() {
            return "deleted";
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = "Put a queued or deferred message on hold (like postsuper -h): it is not tried until released.")
    static final class Hold extends StateChange {
        boolean apply(QueueStore store, long id) {
            return store.hold(id);
        }

        String done() {
            return "on hold";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Release a held message (like postsuper -H): it is due now.")
    static final class Release extends StateChange {
        boolean apply(QueueStore store, long id) {
            return store.release(id);
        }

        String done() {
            return "released, due now";
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Make every queued and deferred message due now (like postqueue -f); held ones stay held.")
    static final class Flush implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        QueueTarget target;

        @Override
        public Integer call() {
            return withQueue(spec, target, (store, out) -> {
                int n = store.flush();
                out.println(n + (n == 1 ? " message is" : " messages are") + " due now; a running relay tries "
                        + (n == 1 ? "it" : "them") + " at its next poll");
                return 0;
            });
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true,
            description = "Give up on a message: its pending recipients fail and the sender gets a non-delivery "
                    + "notice (DSN), queued here for the relay to deliver.")
    static final class Bounce extends Action {
        @Override
        Optional<String> act(QueueStore store, QueuedMessage m) {
            return new OperatorBounce(store, target.hostName(), java.time.Clock.systemUTC()).bounce(m.id())
                    .map(o -> "bounced " + String.join(", ", o.recipients()) + "; " + o.dsnId()
                            .map(d -> "the notice to <" + m.envelope().mailFrom() + "> is queued as " + d)
                            .orElse("no notice (null sender)"));
        }

        @Override
        String whyNot(QueuedMessage m) {
            return m.pendingRecipients().isEmpty() ? " with no recipient left to give up on" : "";
        }
    }
}
