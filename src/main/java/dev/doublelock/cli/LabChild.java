package dev.doublelock.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lab in a child JVM on the same classpath, on free loopback ports. The lab relaxes the JDK's
 * legacy-algorithm limits in its own process; running it as a child keeps the caller's JVM (the demo's relay,
 * or a test's) exactly as in production. The ports come from the table the lab prints.
 */
public final class LabChild implements AutoCloseable {
    private static final int MAX_OUTPUT_LINES = 10_000;

    private final Process process;
    private final Map<String, Integer> ports;
    private final List<String> output;

    private static final String DNS = "dns";
    private static final String SNI = "sni";
    private static final String POLICY_HOST = "mta-sts";
    private final Map<String, Integer> scenarioPorts = new LinkedHashMap<>();
    private java.util.Optional<Integer> policyHostPort = java.util.Optional.empty();

    private final java.util.Optional<Integer> dnsPort;
    private final java.util.Optional<Integer> sniPort;

    private LabChild(Process process, Map<String, Integer> ports, List<String> output) {
        this.process = process;
        this.dnsPort = java.util.Optional.ofNullable(ports.remove(DNS));
        this.sniPort = java.util.Optional.ofNullable(ports.remove(SNI));
        this.ports = Map.copyOf(ports);
        this.output = output;
    }

    /** Starts {@code doublelock lab --base-port 0 --web-port -1 --data DIR} and waits (up to 2 min) for its table. */
    public static LabChild start(Path dataDir) throws IOException {
        return start(dataDir, List.of());
    }

    /** As {@link #start(Path)}, with options for the child's JVM (e.g. {@code -Xmx256m}). */
    public static LabChild start(Path dataDir, List<String> jvmOptions) throws IOException {
        return start(List.of(), dataDir, jvmOptions, List.of());
    }

    /**
     * As {@link #start(Path, List)}, the JVM started through {@code wrapper} (e.g. {@code unshare -n sh -c ...}, which
     * must exec it: {@link #pid()} is then the lab's), with more {@code lab} options after the defaults.
     */
    public static LabChild start(List<String> wrapper, Path dataDir, List<String> jvmOptions, List<String> labOptions)
            throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(javaBin, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "lab", "--base-port", "0", "--web-port", "-1", "--data", dataDir.toString()));
        command.addAll(labOptions);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Integer> scenarios = new LinkedHashMap<>();
        List<String> said = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
            said.add(line);
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 2 && cols[0].matches("\\d+")) {
                // the profiles' table, then the lab's DNS endpoint as "PORT dns ..."
                if (dev.doublelock.lab.LabProfile.byName(cols[1]).isPresent()) ports.put(cols[1], Integer.parseInt(cols[0]));
                else if (cols[1].equals(DNS) || cols[1].equals(SNI)) ports.put(cols[1], Integer.parseInt(cols[0]));
                else if (dev.doublelock.lab.MtaStsScenario.byName(cols[1]).isPresent() || cols[1].equals(POLICY_HOST)) {
                    scenarios.put(cols[1], Integer.parseInt(cols[0]));
                }
            }
            if (line.startsWith("recording sessions")) {
                LabChild child = new LabChild(p, ports, said);
                child.policyHostPort = java.util.Optional.ofNullable(scenarios.remove(POLICY_HOST));
                child.scenarioPorts.putAll(scenarios);
                Thread.ofVirtual().name("lab-child-output").start(() -> child.collect(in));
                return child;
            }
        }
        p.destroyForcibly();
        throw new IOException("the lab did not start; it said:\n" + String.join("\n", said));
    }

    private void collect(BufferedReader in) {
        try {
            String l;
            while ((l = in.readLine()) != null) {
                synchronized (output) {
                    if (output.size() < MAX_OUTPUT_LINES) output.add(l);
                }
            }
        } catch (IOException ignored) {
            // the lab ended
        }
    }

    /** The port of a profile by its contract name ("good", "shame", ...). */
    public int port(String profile) {
        Integer port = ports.get(profile);
        if (port == null) throw new IllegalArgumentException("no such lab profile: " + profile + "; have " + ports.keySet());
        return port;
    }

    /** Every profile's port, by profile name. */
    public Map<String, Integer> ports() {
        return ports;
    }

    /** The port of an MTA-STS scenario's MX by its contract name ("sts-enforce-good", ...). */
    public int scenarioPort(String scenario) {
        Integer port = scenarioPorts.get(scenario);
        if (port == null) throw new IllegalArgumentException("no such MTA-STS scenario: " + scenario + "; have " + scenarioPorts.keySet());
        return port;
    }

    /** The port of the MTA-STS policy host (HTTPS on 127.0.0.1), when the lab runs the scenarios. */
    public java.util.Optional<Integer> policyHostPort() {
        return policyHostPort;
    }

    /** The port of the lab's DNS (UDP and TCP on 127.0.0.1), when it runs one. */
    public java.util.Optional<Integer> dnsPort() {
        return dnsPort;
    }

    /** The port of the lab's SNI listener (--sni-bind), when it runs one. */
    public java.util.Optional<Integer> sniPort() {
        return sniPort;
    }

    /** What the lab printed so far (bounded). */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The process id of the child (its network namespace: {@code /proc/PID/ns/net}). */
    public long pid() {
        return process.pid();
    }

    /** True while the child process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }
}
