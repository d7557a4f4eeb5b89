package dev.doublelock.cli;

import dev.doublelock.relay.intake.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code doublelock relay hash-password}: prints the stored form of a submission user's password. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Reads a password (asked twice on a terminal, else one line from standard input) and prints "
                + "its PBKDF2-HMAC-SHA256 hash for the config's \"users\" object, e.g. \"users\": {\"alice\": \"HASH\"}."})
public final class RelayHashPasswordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--iterations", description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}; at least "
            + PasswordHash.MIN_ITERATIONS + ")", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS)
    int iterations;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (iterations < PasswordHash.MIN_ITERATIONS) {
            err.println("hash-password: --iterations must be at least " + PasswordHash.MIN_ITERATIONS);
            err.flush();
            return 2;
        }
        char[] password = read(err);
        if (password == null || password.length == 0) {
            err.println("hash-password: empty password; type one, or pipe it: echo -n SECRET | doublelock relay hash-password");
            err.flush();
            return 2;
        }
        try {
            spec.commandLine().getOut().println(PasswordHash.create(password, iterations).encoded());
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] read(PrintWriter err) throws IOException {
        Console console = System.console();
        if (console != null && interactive(console)) {
            char[] first = console.readPassword("password: ");
            char[] again = console.readPassword("again: ");
            if (first == null || !Arrays.equals(first, again)) {
                err.println("hash-password: the two passwords differ");
                return null;
            }
            return first;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? null : line.toCharArray();
    }

    /** Console.isTerminal() exists from JDK 22 (where System.console() is non-null even when piped); JDK 21 has no console then. */
    private static boolean interactive(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
