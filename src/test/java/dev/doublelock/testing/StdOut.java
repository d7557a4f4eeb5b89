package dev.doublelock.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a piece of code prints on {@code System.out} (a CLI command run in-process), restored afterwards. */
public final class StdOut {
    /** Code that may throw, as a test's command run does. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private StdOut() {
    }

    public static String of(Action action) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
