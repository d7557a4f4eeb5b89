package dev.doublelock.cli;

import dev.doublelock.check.CheckOptions;
import dev.doublelock.check.CheckReport;
import dev.doublelock.check.CheckRunner;
import dev.doublelock.check.Target;
import dev.doublelock.config.RelayConfig;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.finding.Finding;
import dev.doublelock.finding.Severity;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.Policy;
import dev.doublelock.policy.mtasts.InMemoryStsCache;
import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.relay.DeliveryWorkers;
import dev.doublelock.relay.Relay;
import dev.doublelock.relay.RelayOptions;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.smtp.client.SmtpClientSession;
import dev.doublelock.tls.pki.Pem;
import dev.doublelock.tls.probe.ProbeOptions;
import dev.doublelock.tls.probe.TlsProber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code doublelock demo}: the whole product on one screen, on loopback, with no setup. Starts the lab (in
 * its own JVM, the only process that relaxes the JDK's legacy-algorithm limits), checks every profile with
 * the checker, sends one message through a relay (in this JVM, unrelaxed) to each profile, and prints
 * profile → checker findings → relay outcome.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the lab and a relay on loopback, checks every lab profile with the checker, sends one "
                + "message through the relay to each profile, and prints one matrix: profile, checker findings, "
                + "relay outcome (delivered, or refused with the findings). No setup needed; takes about a minute.",
                "--json prints [{profile, check_findings, relay_outcome, relay_findings}]."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the matrix as JSON.")
    boolean json;

    @Option(names = "--policy", defaultValue = "bsi", description = "Policy for the checker and the relay (default: ${DEFAULT-VALUE}).")
    String policyName;

    @Option(names = "--data", description = "Keep the lab's and relay's data here, laid out as every command's data "
            + "location (then 'lab results --data DIR' and 'queue list --data DIR' show the demo's sessions and mail); "
            + "default: a temporary directory, removed afterwards.")
    Path data;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the relay's attempts (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** One row of the matrix. */
    record Row(String profile, List<String> checkFindings, String relayOutcome, List<String> relayFindings) {
    }

    @Override
    public Integer call() throws Exception {
        Policy policy = Policies.resolve(policyName);
        boolean temporary = data == null;
        Path dir = temporary ? Files.createTempDirectory("doublelock-demo-")
                : Files.createDirectories(data.toAbsolutePath().normalize());
        try (LabChild lab = LabChild.start(dir)) {
            Path ca = dir.resolve("lab-ca.pem");
            Files.copy(dir.resolve("pki").resolve("ca.pem"), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            progress("lab: " + lab.ports().size() + " endpoints on 127.0.0.1 (its own JVM); checking each with the checker ...");
            Map<LabProfile, List<String>> checks = check(lab, ca, policy);
            progress("relay: sending one message to each profile through the relay (policy " + policy.name() + ") ...");
            Map<LabProfile, Attempt> attempts = relay(lab, ca, dir);
            List<Row> rows = new ArrayList<>();
            for (LabProfile p : LabProfile.tlsProfiles()) {
                Attempt a = attempts.get(p);
                String outcome = a == null ? "pending" : a.outcome().equals("delivered") ? "delivered" : "refused";
                rows.add(new Row(p.profileName(), checks.get(p), outcome, a == null ? List.of() : a.findingCodes()));
            }
            print(rows);
            return rows.stream().anyMatch(r -> r.relayOutcome().equals("pending")) ? 2 : 0;
        } finally {
            if (temporary) deleteTree(dir);
        }
    }

    private Map<LabProfile, List<String>> check(LabChild lab, Path ca, Policy policy) throws Exception {
        Duration t = Duration.ofSeconds(10);
        ProbeOptions probe = ProbeOptions.defaults().withTimeouts(t, t, Duration.ofMinutes(2));
        DnsjavaResolver dns = DnsjavaResolver.builder().build();
        Map<LabProfile, List<String>> out = new EnumMap<>(LabProfile.class);
        try (ExecutorService pool = Executors.newFixedThreadPool(4, Thread.ofVirtual().factory())) {
            Map<LabProfile, Future<CheckReport>> futures = new EnumMap<>(LabProfile.class);
            for (LabProfile p : LabProfile.tlsProfiles()) {
                // the name a sender would expect: localhost, or a.b.deep.localhost for wildcard-too-deep
                CheckOptions options = new CheckOptions(Instant.now().atZone(java.time.ZoneOffset.UTC).getYear(),
                        Pem.readCertificates(ca), Optional.of(p.referenceName("localhost")), CheckOptions.SMTP_PORT, probe,
                        Clock.systemUTC());
                CheckRunner runner = new CheckRunner(dns, new TlsProber(probe), policy, options,
                        new StsLookup(dns, StsFetcher.withDefaults(t), new InMemoryStsCache(), Clock.systemUTC()));
                futures.put(p, pool.submit(() -> runner.check(Target.parse("127.0.0.1:" + lab.port(p.profileName())))));
            }
            for (var e : futures.entrySet()) {
                CheckReport report = e.getValue().get(3, TimeUnit.MINUTES);
                TreeSet<String> codes = new TreeSet<>();
                for (Finding f : report.allFindings()) {
                    if (f.severity() == Severity.FAIL) codes.add(f.code().name());
                }
                out.put(e.getKey(), List.copyOf(codes));
            }
        }
        return out;
    }

    private Map<LabProfile, Attempt> relay(LabChild lab, Path ca, Path relayDir) throws Exception {
        StringBuilder routes = new StringBuilder();
        for (LabProfile p : LabProfile.tlsProfiles()) {
            if (routes.length() > 0) routes.append(", ");
            routes.append('"').append(domain(p)).append("\": [\"[127.0.0.1]:").append(lab.port(p.profileName())).append("\"]");
        }
        String config = "{ \"dataDir\": " + quote(relayDir.toString()) + ", \"hostName\": \"localhost\","
                + " \"submission\": {\"listen\": \"off\"}, \"relay\": {\"listen\": \"127.0.0.1:0\"},"
                + " \"metrics\": {\"listen\": \"off\"},"
                + " \"policy\": {\"default\": " + quote(policyName) + ", \"trust\": [" + quote(ca.toString()) + "]},"
                + " \"routes\": {" + routes + "} }";
        RelayOptions options = RelayConfig.parse(config, "demo");
        Map<String, LabProfile> byMessageId = new LinkedHashMap<>();
        try (Relay relay = Relay.start(options, new DeliveryWorkers(), line -> { })) {
            var address = relay.relayAddress().orElseThrow();
            try (SmtpClientSession s = SmtpClientSession.connect(Dialer.direct(), address, "localhost",
                    ClientOptions.defaults("demo.doublelock.test"))) {
                s.ehlo();
                for (LabProfile p : LabProfile.tlsProfiles()) {
                    String id = "demo-" + p.profileName() + "-" + System.nanoTime() + "@doublelock.test";
                    byte[] msg = ("From: <demo@doublelock.test>\r\nTo: <check@" + domain(p) + ">\r\nSubject: doublelock demo: "
                            + p.profileName() + "\r\nMessage-ID: <" + id + ">\r\n\r\nHello from the doublelock demo.\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    var result = s.send("demo@doublelock.test", List.of("check@" + domain(p)), Map.of(), msg);
                    if (!result.anyAccepted()) throw new IOException("the relay did not accept the message for " + p + ": " + result);
                    byMessageId.put(id, p);
                }
                s.quit();
            }
            return awaitFirstAttempts(relay, byMessageId);
        }
    }

    private Map<LabProfile, Attempt> awaitFirstAttempts(Relay relay, Map<String, LabProfile> byMessageId) throws InterruptedException {
        Map<LabProfile, Attempt> out = new EnumMap<>(LabProfile.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (out.size() < byMessageId.size() && System.nanoTime() < deadline) {
            for (QueuedMessage m : relay.store().list(java.util.EnumSet.allOf(dev.doublelock.queue.State.class), 1000)) {
                LabProfile p = byMessageId.get(stripBrackets(m.messageId()));
                if (p == null || out.containsKey(p)) continue;
                List<Attempt> attempts = relay.store().attempts(m.id());
                if (!attempts.isEmpty()) out.put(p, attempts.get(0));
            }
            Thread.sleep(200);
        }
        return out;
    }

    private void print(List<Row> rows) {
        if (json) {
            System.out.println(Json.write(rows.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("profile", r.profile());
                m.put("check_findings", r.checkFindings());
                m.put("relay_outcome", r.relayOutcome());
                m.put("relay_findings", r.relayFindings());
                return m;
            }).toList()));
            return;
        }
        System.out.printf("%-21s %-50s %s%n", "PROFILE", "CHECKER (FAIL findings)", "RELAY (policy " + policyName + ")");
        for (Row r : rows) {
            List<String> check = wrap(r.checkFindings().isEmpty() ? List.of("compliant") : r.checkFindings(), 50);
            String relay = r.relayOutcome().equals("delivered") ? "delivered"
                    : r.relayOutcome() + (r.relayFindings().isEmpty() ? "" : ": " + String.join(", ", r.relayFindings()));
            for (int i = 0; i < check.size(); i++) {
                System.out.printf("%-21s %-50s %s%n", i == 0 ? r.profile() : "", check.get(i), i == 0 ? relay : "");
            }
        }
        System.out.println();
        System.out.println("The relay delivers only where the TLS meets the policy; refused mail stays queued, is retried, "
                + "and finally bounced with these reasons. Try: doublelock lab, doublelock check, doublelock relay.");
    }

    /** Joins codes with ", " into lines of at most {@code width} characters. */
    static List<String> wrap(List<String> codes, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String c : codes) {
            if (line.length() > 0 && line.length() + 2 + c.length() > width) {
                lines.add(line.append(',').toString());
                line = new StringBuilder();
            } else if (line.length() > 0) {
                line.append(", ");
            }
            line.append(c);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String domain(LabProfile p) {
        return p.profileName() + ".lab.test";
    }

    private static String stripBrackets(String id) {
        if (id == null) return "";
        String s = id.trim();
        return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void progress(String line) {
        System.err.println(line);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
