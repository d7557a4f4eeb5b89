package dev.doublelock.cli;

import picocli.CommandLine;

/** Runs {@code relay ...} in a child JVM for kill tests (Main registers RelayCommand only after integration). */
public final class RelayTestMain {
    private RelayTestMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayCommand()).execute(args));
    }
}
