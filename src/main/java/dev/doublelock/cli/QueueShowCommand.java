package dev.doublelock.cli;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.QueuedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code doublelock queue show ID}: envelope, state and every delivery attempt with its TLS and policy verdict. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one message: envelope, state, recipients and each delivery attempt (MX, TLS, policy "
                + "verdict, findings, the remote server's reply).")
final class QueueShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    QueueTarget target;
    @Parameters(paramLabel = "ID", description = "queue id (see 'queue list')")
    long id;
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        return QueueCommand.withQueue(spec, target, (store, out) -> {
            QueuedMessage m = store.find(id).orElse(null);
            if (m == null) {
                spec.commandLine().getErr().println("queue: no message " + id + "; see 'doublelock queue list'");
                return 1;
            }
            List<Attempt> attempts = store.attempts(id);
            if (json) {
                Map<String, Object> row = QueueCommand.summary(m);
                row.put("params", m.envelope().params());
                row.put("attempt_history", attempts.stream().map(QueueCommand::attempt).toList());
                out.println(Json.write(row));
            } else {
                print(out, m, attempts);
            }
            return 0;
        });
    }

    private static void print(PrintWriter out, QueuedMessage m, List<Attempt> attempts) {
        out.println("id:          " + m.id());
        out.println("state:       " + m.state() + (m.reason() == null ? "" : " (" + m.reason() + ")"));
        out.println("from:        " + (m.envelope().nullSender() ? "<>" : m.envelope().mailFrom()));
        m.recipients().forEach((rcpt, status) -> out.println("to:          " + rcpt + "  " + status));
        if (!m.envelope().params().isEmpty()) out.println("parameters:  " + m.envelope().params());
        out.println("message-id:  " + (m.messageId().isEmpty() ? "(none)" : m.messageId()));
        out.println("size:        " + m.size() + " octets");
        out.println("queued:      " + m.queuedAt());
        out.println("next try:    " + m.nextAttemptAt());
        out.println("attempts:    " + m.attempts() + " started, " + attempts.size() + " recorded");
        for (Attempt a : attempts) {
            out.println("  " + a.at() + "  " + a.outcome() + (a.wouldRefuse() ? " (testing mode: the policy would "
                    + "have refused " + a.refusalCodes() + ")" : "") + "  " + (a.domain() == null ? "" : a.domain() + " via ")
                    + nz(a.mxHost()) + " [" + nz(a.ip()) + "]");
            out.println("    tls:      " + (a.tlsProtocol() == null ? "none" : a.tlsProtocol() + " " + nz(a.tlsCipher())));
            out.println("    policy:   " + nz(a.policyVerdict()) + (a.findingCodes().isEmpty() ? "" : " " + a.findingCodes()));
            if (a.findingsText() != null && !a.findingsText().isBlank()) {
                a.findingsText().lines().forEach(l -> out.println("              " + l));
            }
            if (a.replyCode() != 0) {
                out.println("    reply:    " + QueueCommand.reply(a));
            }
        }
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
