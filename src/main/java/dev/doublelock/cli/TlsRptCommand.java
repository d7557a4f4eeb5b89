package dev.doublelock.cli;

import dev.doublelock.tlsrpt.AggregateReport;
import dev.doublelock.tlsrpt.ResultCount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code doublelock tlsrpt preview}: the RFC 8460 reports the relay's sessions of one UTC day make, one per domain. */
@Command(name = "tlsrpt", mixinStandardHelpOptions = true,
        description = "SMTP TLS reports (RFC 8460) from the relay's delivery sessions.",
        subcommands = {TlsRptCommand.Preview.class, TlsRptCommand.Send.class})
final class TlsRptCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The day given, else yesterday (UTC): the last complete day. */
    static LocalDate dayOrYesterday(LocalDate day) {
        return day != null ? day : LocalDate.now(ZoneOffset.UTC).minusDays(1);
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = {"Print the TLS reports one UTC day of deliveries makes: one RFC 8460 JSON report per "
                    + "recipient domain, with each policy (sts, tlsa, no-policy-found), its MX hosts, the counts of "
                    + "successful and failed sessions and the failure details. Sends nothing.",
                    "The counts come from the queue's database, so they cover every relay node sharing it."})
    static final class Preview implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        QueueTarget target;
        @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "the UTC day (default: yesterday, the last "
                + "complete day)")
        LocalDate day;
        @Option(names = "--domain", paramLabel = "DOMAIN", description = "only the report for this recipient domain")
        String domain;

        @Override
        public Integer call() {
            LocalDate d = dayOrYesterday(day);
            return QueueCommand.withQueue(spec, target, (store, out) -> {
                Map<String, List<ResultCount>> byDomain = AggregateReport.byDomain(store.tlsResults(d));
                String host = target.hostName();
                int printed = 0;
                for (Map.Entry<String, List<ResultCount>> e : byDomain.entrySet()) {
                    if (domain != null && !e.getKey().equalsIgnoreCase(domain)) {
                        continue;
                    }
                    AggregateReport r = new AggregateReport(host, "postmaster@" + host,
                            d + "." + e.getKey() + "@" + host, d, e.getKey(), e.getValue());
                    out.println(Json.write(r.json()));
                    printed++;
                }
                if (printed == 0) {
                    spec.commandLine().getErr().println("tlsrpt: no delivery sessions recorded on " + d
                            + (domain == null ? "" : " for " + domain) + " (UTC); nothing to report");
                }
                return 0;
            });
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Send the TLS reports of one UTC day now, as the relay does daily when tlsrpt.enabled is "
                    + "true: to each domain's _smtp._tls rua (mail through the queue, HTTPS POST), once per domain and "
                    + "day across all nodes of the queue. Mail reports are delivered by the running relay."})
    static final class Send implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        QueueTarget target;
        @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "the UTC day (default: yesterday)")
        LocalDate day;

        @Override
        public Integer call() {
            LocalDate d = dayOrYesterday(day);
            return QueueCommand.withQueue(spec, target, (store, out) -> {
                var sender = dev.doublelock.relay.DeliveryWorkers.tlsReportSender(store,
                        target.options().dns().build(), target.options(), "cli-" + ProcessHandle.current().pid());
                for (var s : sender.send(d)) {
                    out.println(s.domain() + ": " + (s.destinations().isEmpty() ? "-" : String.join(", ", s.destinations()))
                            + " (" + s.note() + ")");
                }
                return 0;
            });
        }
    }
}
