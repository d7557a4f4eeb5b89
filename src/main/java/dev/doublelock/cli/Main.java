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
        subcommands = {DemoCommand.class, LabCommand.class, CheckCommand.class, RelayCommand.class, QueueCommand.class, TlsRptCommand.class, PolicyCommand.class, BenchSmtpCommand.class, CommandLine.HelpCommand.class})
public final class Main {
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
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(ExitCodes.HANDLER).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"doublelock " + (v == null ? "dev" : v)};
        }
    }
}
