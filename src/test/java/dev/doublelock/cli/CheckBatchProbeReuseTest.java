package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doublelock.check.JsonSchemaCheck;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZoneSigner;
import dev.doublelock.dns.TestZones;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of 200 domains whose 200 MX names share 10 addresses (127.0.0.1–10, one port): each address is probed
 * once, every domain is still reported with its own MX name (judged against that name) and the reuse is said in
 * the JSON; two lines that are not domains get their own JSONL lines. Real TLS on loopback, a signed test zone.
 */
class CheckBatchProbeReuseTest {
    static final int DOMAINS = 200;
    static final int ADDRESSES = 10;
    static final List<LimitedMailServer> servers = new ArrayList<>();
    static TestDnsServer dns;
    static Path anchor;
    static Path trust;
    static Path batch;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        CertifiedKey key = new CertificateBuilder().ecdsa("secp256r1").subject("CN=*.batch.test").dnsNames("*.batch.test")
                .validity(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS)).build();
        trust = Files.createTempFile("batch-trust", ".pem");
        Files.writeString(trust, Pem.encode(key.leaf()));
        startServers(key);
        TestZones zone = new TestZones("batch.test");
        for (int i = 0; i < DOMAINS; i++) {
            zone.mx("d" + i, 10, "mx" + i + ".batch.test").a("mx" + i, "127.0.0." + (1 + i % ADDRESSES));
        }
        TestZoneSigner.SignedZone signed = zone.sign();
        dns = new TestDnsServer().add(TestZones.zone(signed));
        anchor = Files.createTempFile("batch-anchor", ".txt");
        Files.writeString(anchor, signed.anchor().zoneText());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            lines.add("d" + i + ".batch.test");
            if (i == 50) lines.add("not a domain!");
            if (i == 120) lines.add("x".repeat(300) + ".batch.test");
        }
        batch = Files.createTempFile("batch", ".txt");
        Files.write(batch, lines);
    }

    /** Ten servers on one port at 127.0.0.1..10: try ports until all ten bind. */
    private static void startServers(CertifiedKey key) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            LimitedMailServer first = new LimitedMailServer(key, LimitedMailServer.Mode.STARTTLS, 1000, 0, 0,
                    InetAddress.getByName("127.0.0.1"), 0);
            List<LimitedMailServer> all = new ArrayList<>(List.of(first));
            try {
                for (int i = 2; i <= ADDRESSES; i++) {
                    all.add(new LimitedMailServer(key, LimitedMailServer.Mode.STARTTLS, 1000, 0, 0,
                            InetAddress.getByName("127.0.0." + i), first.port()));
                }
                servers.addAll(all);
                port = first.port();
                return;
            } catch (BindException taken) {
                for (LimitedMailServer s : all) s.close();
            }
        }
        throw new IOException("no port free on all of 127.0.0.1-" + ADDRESSES);
    }

    @AfterAll
    static void stop() throws Exception {
        for (LimitedMailServer s : servers) s.close();
        if (dns != null) dns.close();
    }

    static CheckLabTest.Run batch(String... more) {
        List<String> args = new ArrayList<>(List.of("--batch", batch.toString(), "--resolver", dns.address(), "--dnssec-anchor",
                anchor.toString(), "--smtp-port", String.valueOf(port), "--trust", trust.toString()));
        args.addAll(List.of(more));
        return CheckLabTest.check(args.toArray(String[]::new));
    }

    @Test
    void twoHundredDomainsOverTenAddressesProbeTenEndpoints() throws Exception {
        CheckLabTest.Run run = batch();
        List<JsonNode> lines = run.json();
        JsonSchemaCheck schema = JsonSchemaCheck.committed();
        lines.forEach(l -> assertThat(schema.violations(l)).as(l.toString()).isEmpty());

        // one line per input, the two that are not domains included, with why
        assertThat(lines).hasSize(DOMAINS + 2);
        List<JsonNode> rejected = lines.stream().filter(l -> l.has("input_error")).toList();
        assertThat(rejected).extracting(l -> l.get("target").asText()).contains("not a domain!");
        assertThat(rejected).hasSize(2).allSatisfy(l -> {
            assertThat(l.get("verdict").asText()).isEqualTo("INCOMPLETE");
            assertThat(l.get("input_error").asText()).isNotBlank();
        });

        // every domain reported with its own MX name, judged against that name (the wildcard names them all)
        Map<String, JsonNode> byTarget = new TreeMap<>();
        lines.stream().filter(l -> !l.has("input_error")).forEach(l -> byTarget.put(l.get("target").asText(), l));
        assertThat(byTarget).hasSize(DOMAINS);
        Map<String, Set<String>> probedAsByAddress = new TreeMap<>();
        int reused = 0;
        for (int i = 0; i < DOMAINS; i++) {
            JsonNode r = byTarget.get("d" + i + ".batch.test");
            JsonNode h = r.get("hosts").get(0);
            assertThat(h.get("name").asText()).isEqualTo("mx" + i + ".batch.test");
            assertThat(h.get("address").asText()).isEqualTo("127.0.0." + (1 + i % ADDRESSES));
            assertThat(h.get("starttls").asText()).as(h.toString()).isEqualTo("ESTABLISHED");
            assertThat(h.get("trust").get("status").asText()).isEqualTo("TRUSTED");
            assertThat(h.get("untested")).isEmpty();
            String as = h.get("probed_as").isNull() ? h.get("name").asText() : h.get("probed_as").asText();
            if (!h.get("probed_as").isNull()) reused++;
            probedAsByAddress.computeIfAbsent(h.get("address").asText(), a -> new HashSet<>()).add(as);
        }
        // each address was probed as exactly one name, and 190 hosts reused those ten probes
        assertThat(probedAsByAddress).hasSize(ADDRESSES).allSatisfy((a, names) -> assertThat(names).hasSize(1));
        assertThat(reused).isEqualTo(DOMAINS - ADDRESSES);
        assertThat(run.err()).contains("10 endpoint(s) probed; 190 MX host check(s) reused");

        // the servers saw ten probes' worth of connections: as many as one probe of one of them, times ten
        int batchConnections = servers.stream().mapToInt(s -> s.served.get() + s.turnedAway.get()).sum();
        servers.forEach(s -> { s.served.set(0); s.turnedAway.set(0); });
        CheckLabTest.Run one = CheckLabTest.check("d0.batch.test", "--json", "--resolver", dns.address(), "--dnssec-anchor",
                anchor.toString(), "--smtp-port", String.valueOf(port), "--trust", trust.toString());
        int oneProbe = servers.getFirst().served.get() + servers.getFirst().turnedAway.get();
        assertThat(oneProbe).as(one.out()).isGreaterThan(5);
        assertThat(batchConnections).isLessThanOrEqualTo(ADDRESSES * oneProbe + ADDRESSES);
    }

    @Test
    void withoutReuseEveryDomainIsProbed() {
        servers.forEach(s -> { s.served.set(0); s.turnedAway.set(0); });
        Path few;
        try {
            few = Files.createTempFile("batch-few", ".txt");
            Files.write(few, List.of("d0.batch.test", "d10.batch.test", "d20.batch.test"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        CheckLabTest.Run run = CheckLabTest.check("--batch", few.toString(), "--resolver", dns.address(), "--dnssec-anchor",
                anchor.toString(), "--smtp-port", String.valueOf(port), "--trust", trust.toString(), "--no-probe-reuse");
        assertThat(run.json()).hasSize(3).allSatisfy(l -> assertThat(l.get("hosts").get(0).get("probed_as").isNull()).isTrue());
        assertThat(run.err()).doesNotContain("reused");
        // three probes of 127.0.0.1, each a full one
        assertThat(servers.getFirst().served.get()).isGreaterThan(15);
    }
}
