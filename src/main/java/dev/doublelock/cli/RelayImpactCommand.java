package dev.doublelock.cli;

import dev.doublelock.relay.impact.ImpactReport;
import dev.doublelock.relay.impact.ReportWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code doublelock relay impact [--since 7d] [--top N] [--json]}: testing mode's impact report from the relay's
 * queue, "if you enforced now: N messages to M domains would wait", with the top domains and the findings why; the
 * same computation as the relay page's ({@link ImpactReport}). Exit codes as for {@code queue} commands: 0 done,
 * 2 bad config or option, 3 no queue there, 4 queue unusable.
 */
@Command(name = "impact", mixinStandardHelpOptions = true,
        description = {"Testing mode's impact report: if you enforced the policy now, how many messages to how many "
                + "domains would wait, the top domains and why (finding codes in words). Read from the queue's "
                + "attempt history: messages delivered in testing mode over a session the policy would have refused.",
                "The queue is found as for 'doublelock queue' (--queue, else the config's, else the data directory's)."})
final class RelayImpactCommand implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();

    @Spec
    CommandSpec spec;
    @Mixin
    QueueTarget target;
    @Option(names = "--since", paramLabel = "TIME", description = "how far back to look, with a Postfix time unit "
            + "(s, m, h, d, w), e.g. 24h, 7d, 2w (default: ${DEFAULT-VALUE})", defaultValue = "7d")
    String since;
    @Option(names = "--top", paramLabel = "N", description = "list at most N domains (default: ${DEFAULT-VALUE})",
            defaultValue = "10")
    int top;
    @Option(names = "--json", description = "the report as one JSON object (the relay page's /api/impact)")
    boolean json;

    @Override
    public Integer call() {
        Duration length;
        try {
            length = ReportWindow.parseLength(since);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--since: " + e.getMessage());
        }
        if (top < 1 || top > 10_000) {
            throw new ParameterException(spec.commandLine(), "--top must be 1..10000, got " + top);
        }
        return QueueCommand.withQueue(spec, target, (store, out) -> {
            ImpactReport report = ImpactReport.of(store, ReportWindow.last(length, CLOCK),
                    target.options().delivery().policyMode(), top);
            out.print(json ? Json.write(report.json()) + System.lineSeparator() : report.text());
            return 0;
        });
    }
}
