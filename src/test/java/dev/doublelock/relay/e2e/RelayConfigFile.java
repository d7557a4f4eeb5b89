package dev.doublelock.relay.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A relay config for the end-to-end tests: relay listener on 127.0.0.1 port 0 (no submission, no metrics),
 * the host name (EHLO name towards the lab, and the prefix of the node id in queue claims),
 * {@code bsi} enforced with the lab CA trusted, the domain {@value #DOMAIN} routed to the lab's {@code good}
 * profile, and the given delivery tuning.
 */
final class RelayConfigFile {
    static final String DOMAIN = "good.lab.test";

    private RelayConfigFile() {
    }

    static Path write(Path file, String hostName, Path dataDir, String queue, Path labCa, int goodPort, int concurrency,
                      int leaseSeconds) throws IOException {
        return write(file, hostName, dataDir, queue, labCa, goodPort, concurrency, leaseSeconds, "");
    }

    /** The same, with {@code extraMembers} (e.g. {@code "dns": {...}, "tlsrpt": {...}}) added at the top level. */
    static Path write(Path file, String hostName, Path dataDir, String queue, Path labCa, int goodPort, int concurrency,
                      int leaseSeconds, String extraMembers) throws IOException {
        String json = """
                {"dataDir": "%s", "hostName": "%s", "queue": "%s",
                 "submission": {"listen": "off"}, "metrics": {"listen": "off"},
                 "relay": {"listen": "127.0.0.1:0", "allowedNetworks": ["127.0.0.0/8"]},
                 "limits": {"maxConnections": 500},
                 "policy": {"default": "bsi", "mode": "enforce", "trust": ["%s"]},
                 "routes": {"%s": ["[127.0.0.1]:%d"]},
                 "delivery": {"concurrency": %d, "perDestinationConcurrency": %d, "leaseSeconds": %d,
                              "pollIntervalMillis": 200}%s}
                """.formatted(dataDir, hostName, queue, labCa, DOMAIN, goodPort, concurrency, concurrency, leaseSeconds,
                extraMembers.isBlank() ? "" : ",\n " + extraMembers);
        Files.writeString(file, json);
        return file;
    }
}
