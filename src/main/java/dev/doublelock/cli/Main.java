package dev.doublelock.cli;

import dev.doublelock.tls.FastEc;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point: {@code doublelock <command>}. Errors are one line on stderr with an exit code from
 * {@link ExitCodes}; {@code --debug} (on any command) adds the stack trace.
 */
@Command(name = "doublelock", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Does this mail travel over TLS that deserves the name?%n"
                + "lab: receiving SMTP endpoints broken on purpose; check: does a domain meet the TLS policy; "
                + "relay: deliver only over TLS that meets it.",
        synopsisSubcommandLabel = "COMMAND")
public final class Main {
    /**
     * The commands, in the order help lists them. Only the one a command line names is built: picocli reads every
     * option of every command it is given, which cost a one-endpoint check about a tenth of its time.
     */
    static final java.util.List<Class<?>> COMMANDS = java.util.List.of(DemoCommand.class, LabCommand.class,
            CheckCommand.class, RelayCommand.class, QueueCommand.class, TlsRptCommand.class, PolicyCommand.class,
            BenchSmtpCommand.class);

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace after the one-line message.")
    boolean debug;

    public static void main(String[] args) {
        refuseClientRenegotiation();
        // dnsjava logs every bogus DNSSEC answer with a stack trace; findings carry that already
        if (System.getProperty("org.slf4j.simpleLogger.log.org.xbill") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.xbill", "off");
        }
        FastEc.install();
        System.exit(run(args));
    }

    /**
     * The lab's and the relay's TLS servers refuse client-initiated renegotiation (BSI TR-02102-2 §3.3.4.1; the
     * checker's CLIENT_RENEGOTIATION). JSSE reads this once, when its TLS classes load: so first thing in main.
     */
    static void refuseClientRenegotiation() {
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    /** Runs the CLI without exiting the JVM (tests use this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        java.util.Optional<Class<?>> named = named(args);
        if (named.filter(CheckCommand.class::equals).isPresent()) CheckCommand.warmUp();
        for (Class<?> c : named.map(java.util.List::<Class<?>>of).orElse(COMMANDS)) {
            cli.addSubcommand(new CommandLine(c));
        }
        if (named.isEmpty()) cli.addSubcommand(new CommandLine.HelpCommand());
        return cli.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(ExitCodes.HANDLER).execute(args);
    }

    /** The command the first argument that is not an option names, if any (else all are built: help, errors). */
    static java.util.Optional<Class<?>> named(String... args) {
        for (String a : args) {
            if (a.startsWith("-")) continue;
            for (Class<?> c : COMMANDS) {
                Command command = c.getAnnotation(Command.class);
                if (command.name().equals(a) || java.util.Arrays.asList(command.aliases()).contains(a)) {
                    return java.util.Optional.of(c);
                }
            }
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"doublelock " + (v == null ? "dev" : v)};
        }
    }
}
