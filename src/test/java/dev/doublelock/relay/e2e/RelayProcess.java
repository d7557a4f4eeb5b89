package dev.doublelock.relay.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code doublelock relay --config FILE} in its own JVM (the test's class path), as an operator runs it, so it
 * can be killed with SIGKILL. The config should listen on port 0; the bound relay port is read from what the
 * command prints. The last lines of its output are kept for failure messages.
 */
final class RelayProcess implements AutoCloseable {
    private static final Pattern RELAY_LINE = Pattern.compile("^relay: relay for .* on (\\S+):(\\d+)$");
    private static final int KEPT_LINES = 400;

    private final Process process;
    private final InetSocketAddress relayAddress;
    private final Deque<String> output;

    private RelayProcess(Process process, InetSocketAddress relayAddress, Deque<String> output) {
        this.process = process;
        this.relayAddress = relayAddress;
        this.output = output;
    }

    /** Starts the relay and waits (at most 60 s) until it says where its relay listener is. */
    static RelayProcess start(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "dev.doublelock.cli.Main", "relay", "--config", config.toString())
                .redirectErrorStream(true).start();
        Deque<String> output = new ArrayDeque<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<InetSocketAddress> bound = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("relay-output").start(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > KEPT_LINES) output.removeFirst();
                    }
                    Matcher m = RELAY_LINE.matcher(line);
                    if (m.matches()) bound.complete(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            bound.completeExceptionally(new IOException("the relay exited"));
        });
        try {
            return new RelayProcess(p, bound.get(60, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("the relay did not start (" + e + "); it said:\n" + String.join("\n", snapshot(output)));
        }
    }

    InetSocketAddress relayAddress() {
        return relayAddress;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, in-flight deliveries stop mid-way. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("relay " + pid() + " survived kill -9");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the relay printed (its log included). */
    List<String> output() {
        return snapshot(output);
    }

    private static List<String> snapshot(Deque<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Graceful stop (SIGTERM runs the shutdown hook), forced after 40 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
