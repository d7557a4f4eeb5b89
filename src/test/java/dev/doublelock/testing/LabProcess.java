package dev.doublelock.testing;

import dev.doublelock.cli.LabChild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The lab in its own JVM (see {@link LabChild}), so the test's JVM never has its JDK algorithm limits relaxed:
 * the relay and checker under test run exactly as in production. The lab CA is exported to {@link #caFile()}.
 */
public final class LabProcess implements AutoCloseable {
    private final LabChild child;
    private final Path dataDir;
    private final Path caFile;

    private LabProcess(LabChild child, Path dataDir, Path caFile) {
        this.child = child;
        this.dataDir = dataDir;
        this.caFile = caFile;
    }

    /**
     * Starts {@code doublelock lab --base-port 0 --web-port -1 --data DIR} and waits for its table. A {@code DIR} without
     * a {@code pki} directory gets the build's {@link LabPkiTemplate} first (keys made once per build, not per lab).
     */
    public static LabProcess start(Path dataDir) throws IOException, InterruptedException {
        return start(dataDir, List.of());
    }

    /** As {@link #start(Path)}, with options for the lab's JVM (e.g. {@code -Xmx256m}). */
    public static LabProcess start(Path dataDir, List<String> jvmOptions) throws IOException, InterruptedException {
        LabPkiTemplate.seed(dataDir);
        LabChild child = LabChild.start(dataDir, jvmOptions);
        Path ca = dataDir.resolve("exported-ca.pem");
        Files.copy(dataDir.resolve("pki").resolve("ca.pem"), ca, StandardCopyOption.REPLACE_EXISTING);
        return new LabProcess(child, dataDir, ca);
    }

    /** The port of a profile by its contract name ("good", "shame", ...). */
    public int port(String profile) {
        return child.port(profile);
    }

    public Map<String, Integer> ports() {
        return child.ports();
    }

    /** The port of an MTA-STS scenario's MX ("sts-enforce-good", ...). */
    public int scenarioPort(String scenario) {
        return child.scenarioPort(scenario);
    }

    /** The MTA-STS policy host's HTTPS port (on 127.0.0.1). */
    public int policyHostPort() {
        return child.policyHostPort().orElseThrow(() -> new IllegalStateException("the lab printed no MTA-STS policy host"));
    }

    /** The lab's DNS port (UDP and TCP on 127.0.0.1). */
    public int dnsPort() {
        return child.dnsPort().orElseThrow(() -> new IllegalStateException("the lab printed no DNS port"));
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The lab CA as PEM (trust it to make "good" verifiable). */
    public Path caFile() {
        return caFile;
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    public List<String> output() {
        return child.output();
    }

    @Override
    public void close() {
        child.close();
    }
}
