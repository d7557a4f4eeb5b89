package dev.doublelock.cli;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.State;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code doublelock queue list|show ID|retry ID|delete ID|bounce ID}: the operator's view of the relay's
 * queue. Exit codes: 0 done, 1 no such message or not in a state the action applies to, 2 a bad config file,
 * 3 no queue at the location (none is created), 4 the queue is unusable (0-byte or corrupt file, database down).
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Inspect and manage the relay's queue (the one in --config, or --queue URL).",
        subcommands = {QueueCommand.ListMessages.class, QueueShowCommand.class, QueueCommand.Retry.class,
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

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List queued messages, lowest id first.")
    static final class ListMessages implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        QueueTarget target;
        @Option(names = "--state", paramLabel = "S", split = ",",
                description = "only these states: ${COMPLETION-CANDIDATES} (default: all)")
        Set<State> states = EnumSet.noneOf(State.class);
        @Option(names = "--limit", description = "at most this many (default: ${DEFAULT-VALUE})", defaultValue = "1000")
        int limit;
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            return withQueue(spec, target, (store, out) -> {
                List<QueuedMessage> messages = store.list(states, limit);
                if (json) {
                    out.println(Json.write(messages.stream().map(QueueCommand::summary).toList()));
                    return 0;
                }
                out.printf("%-8s %-10s %-8s %-24s %-30s %s%n", "ID", "STATE", "ATTEMPTS", "QUEUED", "FROM", "TO");
                for (QueuedMessage m : messages) {
                    out.printf("%-8d %-10s %-8d %-24s %-30s %s%n", m.id(), m.state(), m.attempts(), m.queuedAt(),
                            m.envelope().nullSender() ? "<>" : m.envelope().mailFrom(), String.join(",", m.envelope().recipients()));
                }
                return 0;
            });
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

    /** One state change on one message, for retry/delete/bounce. */
    abstract static class Action implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        QueueTarget target;
        @Parameters(paramLabel = "ID", description = "queue id (see 'queue list')")
        long id;

        abstract boolean apply(QueueStore store, long id);

        abstract String done();

        @Override
        public Integer call() {
            return withQueue(spec, target, (store, out) -> {
                QueuedMessage m = store.find(id).orElse(null);
                if (m == null) {
                    spec.commandLine().getErr().println("queue: no message " + id + "; see 'doublelock queue list'");
                    return 1;
                }
                if (!apply(store, id)) {
                    spec.commandLine().getErr().println("queue: message " + id + " is " + m.state()
                            + "; " + spec.name() + " does not apply to it");
                    return 1;
                }
                out.println("message " + id + ": " + done() + " (now " + store.find(id).map(QueuedMessage::state).orElse(null) + ")");
                return 0;
            });
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Make a queued or deferred message due now.")
    static final class Retry extends Action {
        boolean apply(QueueStore store, long id) {
            return store.retryNow(id);
        }

        String done() {
            return "due now";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a message without notice (its envelope and history stay, the bytes go).")
    static final class Delete extends Action {
        boolean apply(QueueStore store, long id) {
            return store.delete(id);
        }

        String done() {
            return "deleted";
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true,
            description = "Give up on a message: its pending recipients fail and the delivery engine sends the DSN.")
    static final class Bounce extends Action {
        boolean apply(QueueStore store, long id) {
            return store.bounce(id, "bounced by the operator");
        }

        String done() {
            return "bounced";
        }
    }
}
