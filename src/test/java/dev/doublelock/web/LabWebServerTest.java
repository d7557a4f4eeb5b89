package dev.doublelock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.lab.Lab;
import dev.doublelock.lab.LabOptions;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.testing.RawSmtpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LabWebServerTest {
    @Test
    void pageAndApiShowProfilesAndLiveResults(@TempDir Path data) throws Exception {
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        try (Lab lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data));
             LabWebServer web = LabWebServer.start(lab, new InetSocketAddress("127.0.0.1", 0))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(web.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("doublelock lab", "/api/matrix");

            JsonNode profiles = get(http, web.url() + "api/profiles");
            assertThat(profiles).hasSize(LabProfile.values().length);
            JsonNode shame = profiles.get(LabProfile.SHAME.ordinal());
            assertThat(shame.get("chain").get(0).get("signature").asText()).isEqualTo("SHA1withRSA");
            assertThat(shame.get("chain").get(0).get("key").asText()).isEqualTo("RSA 1024 bit");
            assertThat(shame.get("port").asInt()).isEqualTo(lab.endpoint(LabProfile.SHAME).port());

            try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.NO_STARTTLS).address())) {
                c.reply();
                c.command("EHLO web-test.example");
                assertThat(c.deliver("x@from.example", "y@lab.test", "Subject: w\r\n\r\nhi\r\n")).isEqualTo(250);
                c.command("QUIT");
            }
            JsonNode matrix = null;
            for (int i = 0; i < 100; i++) {
                matrix = get(http, web.url() + "api/matrix");
                if (matrix.get("rows").size() > 0) break;
                Thread.sleep(50);
            }
            assertThat(matrix.get("rows")).hasSize(1);
            JsonNode row = matrix.get("rows").get(0);
            assertThat(row.get("mail_from_domain").asText()).isEqualTo("from.example");
            assertThat(row.get("verdicts").get("no-starttls").asText()).isEqualTo("NO_TLS_DELIVERED");
            assertThat(row.get("failed").get(0).asText()).isEqualTo("no-starttls");
            assertThat(row.get("sends_sni").asText()).as("no TLS handshake, no evidence").isEqualTo("NOT_SEEN");
            // the checker's probe and a bare port check are left out unless all=1
            try (RawSmtpClient probe = new RawSmtpClient(lab.endpoint(LabProfile.GOOD).address())) {
                probe.reply();
                probe.command("EHLO " + dev.doublelock.tls.probe.ProbeTarget.DEFAULT_EHLO_NAME);
                probe.command("QUIT");
            }
            try (RawSmtpClient portCheck = new RawSmtpClient(lab.endpoint(LabProfile.GOOD).address())) {
                portCheck.reply();
            }
            for (int i = 0; i < 100 && lab.records().all(0).size() < 3; i++) Thread.sleep(50);
            assertThat(lab.records().all(0)).hasSize(3);
            matrix = get(http, web.url() + "api/matrix");
            assertThat(matrix.get("rows")).hasSize(1);
            assertThat(row.get("summary").asText()).startsWith("web-test.example (127.0.0.1) delivered to 1 of 1 ");
            assertThat(matrix.get("hidden").get("CHECKER_PROBE").asInt()).isEqualTo(1);
            assertThat(matrix.get("hidden").get("PORT_CHECK").asInt()).isEqualTo(1);
            assertThat(matrix.get("remedies").get(0).get("name").asText()).isEqualTo("REQUIRE_TLS");
            assertThat(get(http, web.url() + "api/matrix?all=1").get("rows")).hasSize(3);
            assertThat(get(http, web.url() + "api/sessions?after=0&all=1")).hasSize(3);
            assertThat(get(http, web.url() + "api/sessions?after=0")).hasSize(1);
            assertThat(get(http, web.url() + "api/sessions?after=1")).isEmpty();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(web.url() + "nope")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
