package dev.doublelock.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.config.ConfigException;
import dev.doublelock.config.RelayConfig;
import dev.doublelock.relay.delivery.PolicyMap;
import dev.doublelock.relay.impact.ImpactReport;
import dev.doublelock.relay.impact.ReportWindow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay page's HTTP side and its config key: off by default, loopback unless explicitly allowed, started and
 * stopped with the relay; the API gives the same impact report as {@code relay impact}; a foreign Host, another
 * method, another path and a bad window are refused with their status. One relay for the class.
 */
class RelayPageTest {
    @TempDir
    static Path dir;
    static Relay relay;
    static final List<String> notices = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        RelayOptions options = RelayConfig.parse("{\"dataDir\": \"" + dir.resolve("data") + "\", \"policy\": {\"mode\": "
                + "\"testing\"}, \"page\": {\"listen\": \"127.0.0.1:0\"}}", "test");
        relay = Relay.start(options.withListeners(Optional.empty(), Optional.empty(), Optional.empty()),
                (s, o) -> DeliveryEngine.QUEUE_ONLY, notices::add);
        RelayPageFixture.fill(relay.store(), Clock.systemUTC().instant());
    }

    @AfterAll
    static void stop() {
        if (relay != null) relay.close();
    }

    record Response(int status, String head, String body) {
    }

    /** A raw HTTP/1.1 request, so the Host header is ours to choose. */
    static Response get(String method, String path, String host) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(relay.pageAddress().orElseThrow(), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            return new Response(Integer.parseInt(all.substring(9, 12)), all.substring(0, split), all.substring(split + 4));
        }
    }

    static String local() {
        return "127.0.0.1:" + relay.pageAddress().orElseThrow().getPort();
    }

    @Test
    void thePageAndItsApiAreServedOnLoopback() throws Exception {
        assertThat(relay.pageAddress().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
        assertThat(notices).noneMatch(n -> n.contains("relay page"));
        Response page = get("GET", "/", local());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.head()).containsIgnoringCase("Content-Type: text/html; charset=utf-8")
                .containsIgnoringCase("Content-Security-Policy: ");
        assertThat(page.body()).contains("<title>doublelock relay</title>");

        Response impact = get("GET", "/api/impact?since=7d", "localhost:" + relay.pageAddress().orElseThrow().getPort());
        assertThat(impact.status()).isEqualTo(200);
        JsonNode j = new ObjectMapper().readTree(impact.body());
        ImpactReport same = ImpactReport.of(relay.store(), ReportWindow.last(Duration.ofDays(7), Clock.systemUTC()),
                PolicyMap.Mode.TESTING, 10);
        assertThat(j.get("mode").asText()).isEqualTo("testing");
        assertThat(j.get("messages").asLong()).isEqualTo(same.messages()).isEqualTo(4);
        assertThat(j.get("headline").asText()).isEqualTo(same.headline());
        assertThat(j.get("top").get(0).get("domain").asText()).isEqualTo("self.example");

        JsonNode overview = new ObjectMapper().readTree(get("GET", "/api/overview?since=1d", local()).body());
        assertThat(overview.get("impact").get("messages").asLong()).isEqualTo(3);
        assertThat(overview.get("waiting").get(0).get("domain").asText()).isEqualTo("expired.example");
        assertThat(overview.get("refusals").get("slot").asText()).isEqualTo("hour");
    }

    @Test
    void foreignHostsMethodsPathsAndWindowsAreRefused() throws Exception {
        assertThat(get("GET", "/api/overview", "attacker.example").status()).as("DNS rebinding").isEqualTo(421);
        assertThat(get("GET", "/", "127.0.0.1.attacker.example:80").status()).isEqualTo(421);
        assertThat(get("POST", "/", local()).status()).isEqualTo(405);
        Response missing = get("GET", "/admin", local());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("/api/overview");
        Response bad = get("GET", "/api/impact?since=forever", local());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("'forever' is not a time length").contains("7d");
        assertThat(get("GET", "/api/impact?since=400d", local()).status()).isEqualTo(400);
    }

    @Test
    void theLoopbackHostRuleAcceptsOnlyLoopbackNames() {
        assertThat(List.of("127.0.0.1:8025", "127.1.2.3", "localhost", "LOCALHOST:1", "[::1]:8025"))
                .allMatch(RelayPage::loopbackHost);
        assertThat(java.util.Arrays.asList("example.org", "127.0.0.1.nip.io", "[::2]:80", "", null))
                .noneMatch(RelayPage::loopbackHost);
    }

    @Test
    void theConfigKeepsThePageOffByDefaultAndOnLoopbackUnlessAllowed() {
        assertThat(RelayConfig.parse("{}", "t").page()).isEmpty();
        assertThat(RelayConfig.parse("{\"page\": {\"listen\": \"[::1]:8025\"}}", "t").page()).hasValueSatisfying(a ->
                assertThat(a.getPort()).isEqualTo(8025));
        assertThatThrownBy(() -> RelayConfig.parse("{\"page\": {\"listen\": \"0.0.0.0:8025\"}}", "r.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("page.listen")
                .hasMessageContaining("0.0.0.0 is not a loopback address").hasMessageContaining("page.allowNonLoopback");
        assertThat(RelayConfig.parse("{\"page\": {\"listen\": \"192.0.2.7:8025\", \"allowNonLoopback\": true}}", "t")
                .page()).hasValue(new InetSocketAddress("192.0.2.7", 8025));
        assertThatThrownBy(() -> RelayConfig.parse("{\"page\": {\"port\": 8025}}", "r.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port");
    }
}
