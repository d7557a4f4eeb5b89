package dev.doublelock.relay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.lab.Lab;
import dev.doublelock.lab.LabDnsOptions;
import dev.doublelock.lab.LabEndpoint;
import dev.doublelock.lab.LabOptions;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.LabZone;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.lab.Verdict;
import dev.doublelock.testing.UnboundInstance;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The doublelock relay (its own JVM, as an operator runs it) as a sender against every DANE scenario of the lab: MX
 * lookups through a real validating unbound ({@code dns.server}) with the lab zone's trust anchor ({@code
 * dns.trustAnchor}), policy bsi with the lab CA trusted. Every scenario's endpoint listens on port 25 of a loopback
 * address of its own, so the relay looks up the TLSA records at {@code _25._tcp.<mx>} exactly as it would on the
 * internet (needs root; skipped otherwise). The relay must deliver where RFC 7672 lets it and keep the rest queued.
 */
class RelayDaneScenariosTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOST = "relay-dane.doublelock.test";
    static final String ORG = "DANE relay e2e";

    @TempDir
    Path dir;

    static List<LabProfile> scenarios() {
        return java.util.Arrays.stream(LabProfile.values()).filter(p -> p.dane().isPresent()).toList();
    }

    /** One loopback address per scenario with port 25 free (UDP not needed), from a random /24 of 127.55.0.0/16. */
    static Map<LabProfile, InetSocketAddress> port25Addresses() throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 10; attempt++) {
            int net = 1 + random.nextInt(250);
            Map<LabProfile, InetSocketAddress> out = new EnumMap<>(LabProfile.class);
            int host = 1;
            for (LabProfile p : scenarios()) {
                InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 55, (byte) net, (byte) host++}), 25);
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(a);
                    out.put(p, a);
                } catch (IOException taken) {
                    break;
                }
            }
            if (out.size() == scenarios().size()) return out;
        }
        throw new IOException("no /24 of 127.55.0.0/16 with port 25 free");
    }

    @Test
    void theRelayPassesEveryDaneScenario() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "binds port 25 on loopback addresses: needs root (CI runs as root)");
        assumeTrue(UnboundInstance.available(), "needs Debian's unbound (installed by .ci/run)");
        Map<LabProfile, InetSocketAddress> binds = port25Addresses();
        Map<LabProfile, LabEndpoint> overrides = new EnumMap<>(LabProfile.class);
        binds.forEach((p, a) -> overrides.put(p, new LabEndpoint(p, a, "localhost")));
        Path labData = Files.createDirectories(dir.resolve("lab"));
        try (Lab lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(labData).withOverrides(overrides)
                .withDns(Optional.of(LabDnsOptions.of("lab.test.", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))));
             UnboundInstance unbound = UnboundInstance.start("lab.test.", lab.dns().orElseThrow().ds().rdataToString(),
                     lab.dns().orElseThrow().address(),
                     List.of(LabZone.domain(LabProfile.DANE_INSECURE, lab.dns().orElseThrow().origin()).toString()))) {
            Name zone = lab.dns().orElseThrow().origin();
            Path ca = Files.writeString(dir.resolve("lab-ca.pem"), Pem.encode(lab.pki("localhost").caCertificate()));
            Path anchor = Files.writeString(dir.resolve("lab-anchor.txt"), lab.dns().orElseThrow().ds().toString() + "\n");
            Path relayData = dir.resolve("relay");
            Path config = RelayConfigFile.write(dir.resolve("relay.json"), HOST, relayData, relayData.resolve("queue.db").toString(),
                    ca, lab.endpoint(LabProfile.GOOD).port(), 4, 30, """
                    "dns": {"server": "127.0.0.1:%d", "trustAnchor": "%s"},
                    "tlsrpt": {"enabled": true, "organizationName": "%s"}""".formatted(unbound.address().getPort(), anchor, ORG));
            Map<LabProfile, String> ids = new LinkedHashMap<>();
            try (RelayProcess relay = RelayProcess.start(config)) {
                for (LabProfile p : scenarios()) {
                    String id = "dane-" + p.profileName() + "@relay.test";
                    ids.put(p, id);
                    assertThat(Submitter.send(relay.relayAddress(), id, "bob@" + LabZone.domain(p, zone).toString(true)))
                            .as("the relay accepted the message for " + p).isTrue();
                }
                Map<String, JsonNode> attempts = awaitAttempts(relayData.resolve("delivery.log"), scenarios().size(),
                        Duration.ofSeconds(40));
                List<String> table = new ArrayList<>();
                List<String> wrong = new ArrayList<>();
                for (LabProfile p : scenarios()) {
                    String domain = LabZone.domain(p, zone).toString(true);
                    JsonNode a = attempts.get(domain);
                    assertThat(a).as("no attempt for %s; the relay said:%n%s", domain, String.join("\n", relay.output())).isNotNull();
                    String outcome = a.path("outcome").asText();
                    boolean delivered = outcome.equals("delivered");
                    Verdict lab_ = labVerdict(lab, p, delivered);
                    table.add(String.format("%-20s %-22s %-10s %-6s %-24s %s", p, p.expectation().words(), outcome,
                            a.path("decided_by").asText(), lab_ == null ? "(no session)" : lab_, a.path("reply").asText()));
                    if (p.expectation().delivers() != delivered) wrong.add(p + ": expected " + p.expectation().words() + ", " + a);
                    if (delivered) assertThat(lab_).as(p + ": the lab saw the delivery").isEqualTo(Verdict.DELIVERED);
                    else assertThat(lab_ == null || !lab_.failsTest()).as(p + ": the lab saw no delivery").isTrue();
                    assertThat(outcome).as(p + ": never bounced (RFC 7672 defers)").isNotEqualTo("bounced");
                }
                System.out.println("the relay against the lab's DANE scenarios:\n" + String.join("\n", table));
                assertThat(wrong).as(String.join("\n", table)).isEmpty();
                assertThat(attempts.get("dane-ee.lab.test").path("decided_by").asText()).isEqualTo("dane");
                assertThat(attempts.get("dane-ta.lab.test").path("decided_by").asText()).isEqualTo("dane");
                assertThat(attempts.get("dane-no-tlsa.lab.test").path("decided_by").asText()).isEqualTo("bsi");
                assertThat(attempts.get("dane-insecure.lab.test").path("decided_by").asText()).isEqualTo("bsi");

                // its TLS reports (RFC 8460) go to the scenarios' rua, the lab's inbox at good.lab.test (a static route),
                // and the lab shows beside the relay's DANE results whether it reported each failure
                java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
                String sent = sendReports(config, today);
                Map<String, Boolean> relayCountedFailure = new LinkedHashMap<>();
                try (var store = dev.doublelock.queue.QueueStores.open(relayData.resolve("queue.db").toString())) {
                    // RFC 7672 defers: the five it must not deliver wait in the queue for a retry, none bounced
                    Map<String, dev.doublelock.queue.State> states = new LinkedHashMap<>();
                    for (var m : store.list(java.util.EnumSet.allOf(dev.doublelock.queue.State.class), 1000)) {
                        if (m.messageId() != null && m.messageId().contains("dane-")) states.put(Submitter.bare(m.messageId()), m.state());
                    }
                    for (LabProfile p : scenarios()) {
                        assertThat(states.get(ids.get(p))).as(p + ": " + states).isIn(p.expectation().delivers()
                                ? java.util.Set.of(dev.doublelock.queue.State.DELIVERED)
                                : java.util.Set.of(dev.doublelock.queue.State.DEFERRED, dev.doublelock.queue.State.QUEUED,
                                dev.doublelock.queue.State.DELIVERING));
                    }
                    for (LabProfile p : scenarios()) {
                        String domain = LabZone.domain(p, zone).toString(true);
                        relayCountedFailure.put(p.profileName(), store.tlsResults(today).stream()
                                .anyMatch(c -> c.policyDomain().equals(domain) && c.failure().isPresent()));
                    }
                }
                List<dev.doublelock.lab.DaneReporting> reporting = awaitReporting(lab, Duration.ofSeconds(30));
                System.out.println("tlsrpt send: " + sent + "\nthe relay counted failures: " + relayCountedFailure
                        + "\nthe lab: " + reporting);
                assertThat(reporting).as(sent + "\n" + String.join("\n", relay.output())).singleElement().satisfies(d -> {
                    assertThat(d.organization()).isEqualTo(ORG);
                    assertThat(d.scenarios()).extracting(s -> s.profile()).as("the five it had to defer")
                            .containsExactlyInAnyOrder(LabProfile.DANE_NOT_MATCHING, LabProfile.DANE_BROKEN_RRSIG,
                                    LabProfile.DANE_SERVFAIL, LabProfile.DANE_TA_WRONG_NAME, LabProfile.DANE_EXPIRED_RRSIG);
                    // the lab's yes/no is what the relay's own counts say it reported
                    d.scenarios().forEach(s -> assertThat(s.reported()).as(dev.doublelock.lab.DaneReporting.words(s))
                            .isEqualTo(relayCountedFailure.get(s.profile().profileName())));
                    assertThat(d.scenarios()).filteredOn(s -> s.profile() == LabProfile.DANE_NOT_MATCHING
                            || s.profile() == LabProfile.DANE_TA_WRONG_NAME).allMatch(dev.doublelock.lab.DaneReporting.Scenario::reported);
                });
            }
        }
    }

    /** {@code doublelock tlsrpt send --config FILE --day DAY}, in its own JVM as the relay's daily schedule would. */
    static String sendReports(Path config, java.time.LocalDate day) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "dev.doublelock.cli.Main", "tlsrpt", "send", "--config",
                config.toString(), "--day", day.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The lab's DaneReporting for the relay, once the reports of all nine scenario domains have arrived. */
    static List<dev.doublelock.lab.DaneReporting> awaitReporting(Lab lab, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (true) {
            var reports = lab.records().tlsReports();
            long domains = reports.stream().flatMap(r -> r.report().policies().stream())
                    .map(p -> p.domain()).filter(d -> d.startsWith("dane-")).distinct().count();
            if (domains >= scenarios().size() || Instant.now().isAfter(until)) {
                var row = dev.doublelock.lab.ResultsMatrix.of(lab.records().all(0)).rows().stream()
                        .filter(r -> HOST.equals(r.ehloName())).findFirst().orElseThrow();
                return dev.doublelock.lab.DaneReporting.of(row, reports);
            }
            Thread.sleep(250);
        }
    }

    /** The lab's worst verdict for the relay's sessions with a profile (null: none), once a delivery is recorded. */
    static Verdict labVerdict(Lab lab, LabProfile p, boolean delivered) throws InterruptedException {
        Verdict worst = null;
        for (int i = 0; i < (delivered ? 100 : 10); i++) {
            worst = null;
            for (SessionRecord r : lab.records().all(0)) {
                if (r.profile().equals(p.profileName()) && HOST.equals(r.ehloName())) worst = Verdict.worst(worst, r.verdict());
            }
            if (delivered && worst != null) break;
            Thread.sleep(50);
        }
        return worst;
    }

    /** The first delivery-log attempt per domain, once there are {@code count} domains (or the timeout passed). */
    static Map<String, JsonNode> awaitAttempts(Path log, int count, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        Map<String, JsonNode> first = new LinkedHashMap<>();
        while (Instant.now().isBefore(until)) {
            first.clear();
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    first.putIfAbsent(n.path("domain").asText(), n);
                }
            }
            if (first.keySet().stream().filter(d -> d.startsWith("dane-")).count() >= count) break;
            Thread.sleep(200);
        }
        return first;
    }
}
