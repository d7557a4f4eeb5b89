package dev.doublelock.cli;

import dev.doublelock.config.ConfigException;
import dev.doublelock.io.DataFileException;
import dev.doublelock.io.ListenerBindException;
import dev.doublelock.policy.PolicyException;
import dev.doublelock.queue.QueueException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The exit codes of every command, and the one line an error becomes. Without {@code --debug} no stack trace is
 * printed; with it the line is followed by the trace.
 * <table>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>done (check: compliant)</td></tr>
 *   <tr><td>1</td><td>a negative answer: check found FAIL findings; queue: no such message, or the action does not apply</td></tr>
 *   <tr><td>2</td><td>bad usage or a bad config file (check: could not check)</td></tr>
 *   <tr><td>3</td><td>a read-only command found nothing at the data location (and created nothing)</td></tr>
 *   <tr><td>4</td><td>a data file or database is unusable: 0-byte or corrupt SQLite file, database unreachable,
 *       data directory not writable</td></tr>
 *   <tr><td>5</td><td>a listener cannot bind its port (in use, or not permitted)</td></tr>
 *   <tr><td>70</td><td>an internal error (a bug: please report it with the {@code --debug} output)</td></tr>
 * </table>
 */
final class ExitCodes {
    static final int OK = 0;
    static final int NEGATIVE = 1;
    static final int USAGE = 2;
    static final int NOTHING_THERE = 3;
    static final int DATA_UNUSABLE = 4;
    static final int CANNOT_LISTEN = 5;
    static final int INTERNAL = 70;

    /** Installed on the root command line: every exception a command throws ends here. */
    static final CommandLine.IExecutionExceptionHandler HANDLER = (e, commandLine, parseResult) ->
            report(commandLine.getCommandSpec(), e);

    private ExitCodes() {
    }

    /** The exit code for an exception a command did not handle itself. */
    static int of(Throwable e) {
        if (e instanceof ConfigException || e instanceof PolicyException || e instanceof IllegalArgumentException) return USAGE;
        if (e instanceof NothingThereException) return NOTHING_THERE;
        if (e instanceof ListenerBindException) return CANNOT_LISTEN;
        if (e instanceof DataFileException || e instanceof QueueException || e instanceof UncheckedIOException
                || e instanceof IOException) return DATA_UNUSABLE;
        return INTERNAL;
    }

    /** Prints {@code e} as one line on the command's stderr (and the trace with {@code --debug}); returns its code. */
    static int report(CommandSpec spec, Throwable e) {
        PrintWriter err = spec.commandLine().getErr();
        int code = of(e);
        String name = spec.qualifiedName(" ").replaceFirst("^doublelock ?", "");
        String text = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (code == INTERNAL) {
            text = "internal error: " + e.getClass().getName() + ": " + text
                    + (debug(spec) ? "" : " (run with --debug for the stack trace)");
        }
        err.println((name.isEmpty() ? "doublelock" : name) + ": " + text.strip().replaceAll("\\s*\\R\\s*", "; "));
        if (debug(spec)) e.printStackTrace(err);
        err.flush();
        return code;
    }

    /** True if {@code --debug} was given anywhere on the command line. */
    static boolean debug(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            OptionSpec o = s.findOption("--debug");
            if (o != null && Boolean.TRUE.equals(o.getValue())) return true;
        }
        return false;
    }
}
