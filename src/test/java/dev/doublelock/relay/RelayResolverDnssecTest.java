package dev.doublelock.relay;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.dns.TestDnsServer;
import dev.doublelock.dns.TestZones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production relay ({@link DeliveryWorkers}: the system resolver, the IANA root anchor) started behind a
 * resolver that withholds DNSSEC data: a loopback test server with a (test-signed) root zone that strips every
 * signature, made the JVM's resolver with dnsjava's {@code dns.server} property (this test class runs in a JVM of
 * its own). The start says so loudly and the metrics page shows it.
 */
@Timeout(60)
class RelayResolverDnssecTest {
    static TestDnsServer stripping;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDns() throws Exception {
        stripping = new TestDnsServer().add(TestZones.zone(new TestZones(".").sign())).stripDnssec();
        System.setProperty("dns.server", stripping.address());
    }

    @AfterAll
    static void stopDns() {
        System.clearProperty("dns.server");
        if (stripping != null) stripping.close();
    }

    @Test
    void startingBehindAWithholdingResolverWarnsAndExportsTheState() throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        RelayOptions options = RelayConfig.parse("{\"dataDir\": \"" + dir.resolve("data") + "\"}", "test")
                .withListeners(Optional.empty(), Optional.of(any), Optional.of(any));
        List<String> notices = new CopyOnWriteArrayList<>();
        try (Relay relay = Relay.start(options, new DeliveryWorkers(), notices::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (notices.stream().noneMatch(n -> n.contains("DNSSEC")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(notices).filteredOn(n -> n.contains("DNSSEC")).singleElement().asString()
                    .contains("WARNING").contains("withholds DNSSEC data").contains("resolver " + stripping.address())
                    .contains("'. DNSKEY' with the DO bit").contains("DANE cannot be used; MTA-STS still can");
            URI uri = URI.create("http://127.0.0.1:" + relay.metricsAddress().orElseThrow().getPort() + "/metrics");
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("# TYPE doublelock_resolver_dnssec gauge\n")
                    .contains("doublelock_resolver_dnssec{state=\"withheld\"} 1.0\n")
                    .contains("doublelock_resolver_dnssec{state=\"passes\"} 0.0\n")
                    .contains("doublelock_resolver_dnssec{state=\"unknown\"} 0.0\n");
        }
    }
}
