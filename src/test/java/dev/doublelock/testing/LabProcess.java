package dev.doublelock.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lab in its own JVM (same classpath), so the test's JVM never has its JDK algorithm limits relaxed:
 * the relay and checker under test run exactly as in production. Ports are any free ones; the table the
 * lab prints tells which. The lab CA is exported to {@link #caFile()}.
 */
public final class LabProcess implements AutoCloseable {
    private final Process process;
    private final Map<String, Integer> ports;
    private final Path dataDir;
    private final Path caFile;
    private final List<String> output;

    private LabProcess(Process process, Map<String, Integer> ports, Path dataDir, Path caFile, List<String> output) {
        this.process = process;
        this.ports = ports;
        this.dataDir = dataDir;
        this.caFile = caFile;
        this.output = output;
    }

    /** Starts {@code doublelock lab --base-port 0 --web-port -1 --data DIR} and waits for its table. */
    public static LabProcess start(Path dataDir) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "dev.doublelock.cli.Main", "lab", "--base-port", "0", "--web-port", "-1", "--data", dataDir.toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<String> output = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean ready = false;
        while (System.nanoTime() < deadline) {
            String line = in.readLine();
            if (line == null) break;
            output.add(line);
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 2 && cols[0].matches("\\d+")) ports.put(cols[1], Integer.parseInt(cols[0]));
            if (line.startsWith("recording sessions")) {
                ready = true;
                break;
            }
        }
        if (!ready) {
            p.destroyForcibly();
            throw new IOException("the lab did not start; it said:\n" + String.join("\n", output));
        }
        Thread.ofVirtual().start(() -> {
            try {
                String l;
                while ((l = in.readLine()) != null) {
                    synchronized (output) {
                        if (output.size() < 10_000) output.add(l);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        Path ca = dataDir.resolve("exported-ca.pem");
        Files.copy(dataDir.resolve("pki").resolve("ca.pem"), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new LabProcess(p, ports, dataDir, ca, output);
    }

    /** The port of a profile by its contract name ("good", "shame", ...). */
    public int port(String profile) {
        Integer port = ports.get(profile);
        if (port == null) throw new IllegalArgumentException("no such lab profile: " + profile + "; have " + ports.keySet());
        return port;
    }

    public Map<String, Integer> ports() {
        return Map.copyOf(ports);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The lab CA as PEM (trust it to make "good" verifiable). */
    public Path caFile() {
        return caFile;
    }

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
}
