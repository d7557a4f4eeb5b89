package dev.doublelock.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.doublelock.policy.Policies;
import dev.doublelock.policy.Policy;
import dev.doublelock.policy.PolicyException;
import dev.doublelock.policy.Rule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code doublelock policy list | show NAME}: the built-in TLS policies and what they contain. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "List the built-in TLS policies or print one. Pass an edited copy with --policy FILE.",
        subcommands = {PolicyCommand.ListPolicies.class, PolicyCommand.ShowPolicy.class})
public final class PolicyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in policies.")
    static final class ListPolicies implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (String name : Policies.builtInNames()) {
                Policy p = Policies.builtIn(name);
                out.printf("%-14s %-8s %s%n", name + (name.equals(Policies.DEFAULT) ? "*" : ""), p.version(), p.title());
            }
            out.println("* default");
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a policy: the data file as shipped, or with --resolved its effective rules.")
    static final class ShowPolicy implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME|FILE", description = "a built-in policy name (see 'policy list') or a policy file")
        String name;

        @Option(names = "--resolved", description = "show the effective rules after 'extends' (one line each)")
        boolean resolved;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                if (resolved) {
                    Policy p = Policies.resolve(name);
                    out.printf("%s %s (%s) — %s%n", p.name(), p.version(), p.mode(), p.title());
                    for (Rule r : p.rules()) {
                        out.printf("  %-5s %-40s %-26s %s%s%n", r.severity(), r.id(), r.check(), r.params(),
                                yearWindow(r));
                        out.printf("        source: %s%n", r.source());
                    }
                } else if (Policies.builtInNames().contains(name)) {
                    out.print(Policies.rawJson(name));
                } else {
                    Policies.resolve(name); // validate first: errors name the problem or list the known names
                    out.print(Files.readString(Path.of(name)));
                }
                out.flush();
                return 0;
            } catch (PolicyException | java.io.IOException e) {
                spec.commandLine().getErr().println("policy show: " + e.getMessage());
                return 2;
            }
        }

        private static String yearWindow(Rule r) {
            if (r.fromYear().isEmpty() && r.untilYear().isEmpty()) return "";
            return " [years " + r.fromYear().map(String::valueOf).orElse("…") + "–"
                    + r.untilYear().map(String::valueOf).orElse("…") + "]";
        }
    }

    /** Lets tests and the integrator run this command alone. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new PolicyCommand()).setOut(out).setErr(err).execute(args);
    }
}
