package dev.doublelock.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.cli.Main;
import dev.doublelock.testing.Command;
import dev.doublelock.testing.HeadlessChromium;
import dev.doublelock.testing.RawSmtpClient;
import dev.doublelock.tlsrpt.Rfc8460Example;
import dev.doublelock.web.LabWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab receives TLS reports (RFC 8460): RFC 8460's example report by mail (swaks, over STARTTLS, to
 * tlsrpt@) and by POST to the web's /tlsrpt; both appear in {@code lab results --tls-reports --json} and on the page
 * (real browser); duplicates are stored once; malformed and oversized reports get the documented replies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabTlsReportsTest {
    static Path data;
    static Lab lab;
    static LabWebServer web;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startLab() throws Exception {
        data = Files.createTempDirectory("lab-tlsrpt");
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data));
        web = LabWebServer.start(lab, new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
        if (lab != null) lab.close();
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A report mail as RFC 8460 §5.3 shows it, around {@code report} (gzip, base64). */
    static String reportMail(String reportType, String partType, byte[] content) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content);
        return "From: tlsrpt@mail.sender.example.com\r\n"
                + "Date: Fri, 1 May 2026 09:00:00 +0000\r\n"
                + "Subject: Report Domain: company-y.example Submitter: mail.sender.example.com Report-ID: <735ff.e317+bf22029@mailexample.net>\r\n"
                + "TLS-Report-Domain: company-y.example\r\n"
                + "TLS-Report-Submitter: mail.sender.example.com\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=\"" + reportType + "\";\r\n"
                + "    boundary=\"----=_NextPart_000_024E_01CC9B0A.AFE54C00\"\r\n"
                + "Content-Language: en-us\r\n"
                + "Message-ID: <735ff.e317+bf22029@mailexample.net>\r\n"
                + "\r\n"
                + "This is a multipart message in MIME format.\r\n"
                + "\r\n"
                + "------=_NextPart_000_024E_01CC9B0A.AFE54C00\r\n"
                + "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                + "This is an aggregate TLS report from mail.sender.example.com\r\n"
                + "\r\n"
                + "------=_NextPart_000_024E_01CC9B0A.AFE54C00\r\n"
                + "Content-Type: " + partType + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment;\r\n"
                + "    filename=\"mail.sender.example!company-y.example!1013662812!1013749130.json.gz\"\r\n"
                + "\r\n"
                + b64 + "\r\n"
                + "------=_NextPart_000_024E_01CC9B0A.AFE54C00--\r\n";
    }

    int smtp(String message) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.GOOD).address())) {
            c.reply();
            c.command("EHLO reporter.test");
            return c.deliver("", "tlsrpt@lab.test", message);
        }
    }

    HttpResponse<String> post(String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.url() + "tlsrpt")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) b.header("Content-Type", type);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void theRfcExampleArrivesByMailFromSwaksOverStartTls() throws Exception {
        assumeTrue(Command.exists("swaks"), "needs swaks (installed by .ci/run)");
        Path eml = Files.writeString(data.resolve("report.eml"), reportMail("tlsrpt", "application/tlsrpt+gzip",
                gzip(Rfc8460Example.REPORT)));
        Command.Result r = Command.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                "" + lab.endpoint(LabProfile.GOOD).port(), "--to", "tlsrpt@lab.test", "--from", "",
                "--ehlo", "mail.sender.example.com", "--tls", "--data", eml.toString()), null, 60);
        assertThat(r.output()).as(r.output()).contains("<~  250 2.0.0 TLS report 5065427c-23d3-47ca-b6e0-946ea0e8c4be "
                + "from Company-X stored");
        assertThat(lab.records().tlsReports()).singleElement().satisfies(t -> {
            assertThat(t.via()).isEqualTo(TlsReportRecord.Via.MAIL);
            assertThat(t.report().policies()).singleElement().satisfies(p -> {
                assertThat(p.domain()).isEqualTo("company-y.example");
                assertThat(p.successful()).isEqualTo(5326);
                assertThat(p.failed()).isEqualTo(303);
                assertThat(p.resultTypes()).containsExactly("certificate-expired", "starttls-not-supported", "validation-failure");
            });
        });
    }

    @Test
    @Order(2)
    void theSameReportPostedIsADuplicateAnotherIsStored() throws Exception {
        HttpResponse<String> again = post("application/tlsrpt+gzip", gzip(Rfc8460Example.REPORT));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).contains("duplicate");
        String other = Rfc8460Example.REPORT.replace("Company-X", "Company-Z")
                .replace("5065427c-23d3-47ca-b6e0-946ea0e8c4be", "z-report-1");
        HttpResponse<String> fresh = post("application/tlsrpt+gzip", gzip(other));
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(201);
        HttpResponse<String> json = post("application/tlsrpt+json", other.replace("z-report-1", "z-report-2")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(json.statusCode()).as(json.body()).isEqualTo(201);
        assertThat(lab.records().tlsReports()).hasSize(3);
    }

    @Test
    @Order(3)
    void malformedAndOversizedReportsAreRefusedWithTheDocumentedReplies() throws Exception {
        byte[] broken = gzip(Rfc8460Example.REPORT.replace("\"organization-name\": \"Company-X\",", ""));
        assertThat(smtp(reportMail("tlsrpt", "application/tlsrpt+gzip", broken))).as("schema violation").isEqualTo(550);
        assertThat(smtp(reportMail("tlsrpt", "application/tlsrpt+gzip", "not gzip".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(550);
        assertThat(smtp(reportMail("dmarc", "application/tlsrpt+gzip", gzip(Rfc8460Example.REPORT))))
                .as("not report-type=tlsrpt").isEqualTo(550);
        assertThat(smtp(reportMail("tlsrpt", "application/gzip", gzip(Rfc8460Example.REPORT))))
                .as("no tlsrpt part").isEqualTo(550);
        String big = reportMail("tlsrpt", "application/tlsrpt+gzip", new byte[TlsReportInbox.MAX_REPORT_MAIL]);
        assertThat(smtp(big)).as("larger than the inbox takes").isEqualTo(552);
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.GOOD).address())) {
            c.reply();
            c.command("EHLO reporter.test");
            c.deliver("", "tlsrpt@lab.test", reportMail("tlsrpt", "application/tlsrpt+gzip", broken));
        } // and the session still works after a refusal: mail to anyone else is taken as always
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.GOOD).address())) {
            c.reply();
            c.command("EHLO reporter.test");
            assertThat(c.deliver("", "tlsrpt@lab.test", reportMail("tlsrpt", "application/tlsrpt+gzip", broken))).isEqualTo(550);
            assertThat(c.deliver("a@sender.test", "someone@lab.test", "Subject: hi\r\n\r\nhello")).isEqualTo(250);
        }

        assertThat(post("text/plain", gzip(Rfc8460Example.REPORT)).statusCode()).isEqualTo(415);
        assertThat(post(null, gzip(Rfc8460Example.REPORT)).statusCode()).isEqualTo(415);
        HttpResponse<String> bad = post("application/tlsrpt+gzip", broken);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("organization-name");
        assertThat(post("application/tlsrpt+gzip", new byte[TlsReportInbox.MAX_REPORT_MAIL + 10]).statusCode()).isEqualTo(413);
        // a gzip bomb: 9 MB of spaces compress to a few KB
        assertThat(post("application/tlsrpt+gzip", gzip(" ".repeat(9 * 1024 * 1024))).body()).contains("decompresses to more than");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(web.url() + "tlsrpt")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(lab.records().tlsReports()).as("none of them stored").hasSize(3);
    }

    @Test
    @Order(4)
    void labResultsPrintsTheReportsPerOrganization() throws Exception {
        JsonNode orgs = JSON.readTree(dev.doublelock.testing.StdOut.of(() -> assertThat(
                Main.run("lab", "results", "--data", data.toString(), "--tls-reports", "--json")).isZero()));
        assertThat(orgs).hasSize(2);
        JsonNode z = orgs.get(0);
        assertThat(z.get("organization").asText()).as("newest first").isEqualTo("Company-Z");
        assertThat(z.get("reports").asInt()).isEqualTo(2);
        JsonNode x = orgs.get(1);
        assertThat(x.get("organization").asText()).isEqualTo("Company-X");
        assertThat(x.at("/policies/0/policy_domain").asText()).isEqualTo("company-y.example");
        assertThat(x.at("/policies/0/failed_sessions").asLong()).isEqualTo(303);
        assertThat(x.at("/policies/0/via").asText()).isEqualTo("mail");
        assertThat(x.at("/policies/0/result_types").toString()).contains("certificate-expired");
    }

    @Test
    @Order(5)
    void thePageShowsThemInARealBrowser() throws Exception {
        HeadlessChromium.assumeAvailable();
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            var driver = browser.driver();
            driver.get(web.url());
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d -> d.findElements(By.cssSelector("#tls-reports .reporter")).size() == 2);
            List<WebElement> reporters = driver.findElements(By.cssSelector("#tls-reports .reporter h3"));
            assertThat(reporters).extracting(WebElement::getText)
                    .anySatisfy(t -> assertThat(t).startsWith("Company-X").contains("1 report(s)"))
                    .anySatisfy(t -> assertThat(t).startsWith("Company-Z").contains("2 report(s)"));
            List<WebElement> cells = driver.findElements(By.cssSelector("#tls-reports .reporter:last-child tbody tr td"));
            assertThat(cells).extracting(WebElement::getText).contains("company-y.example", "sts", "5326", "303",
                    "certificate-expired, starttls-not-supported, validation-failure", "mail");
            assertThat(cells).allMatch(WebElement::isDisplayed);
            assertThat(browser.overflow().offenders()).as("nothing wider than the page").isEmpty();
        }
    }
}
