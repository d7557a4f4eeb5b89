package dev.doublelock.web;

import dev.doublelock.cli.CheckCommand;
import dev.doublelock.lab.Lab;
import dev.doublelock.lab.LabOptions;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.SessionKind;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.testing.HeadlessChromium;
import dev.doublelock.testing.PinnedTrustManager;
import dev.doublelock.testing.RawSmtpClient;
import dev.doublelock.testing.TestTls;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lab's results page in a real browser (headless Debian chromium, 1280 × 900): two senders of the test's own
 * (one that delivers to defective endpoints, one that refuses), plus the checker probing the lab and a bare port
 * check, which must not show. Nothing may overflow sideways, the per-sender line and the fix must be visible.
 */
class LabPageBrowserTest {
    static Path data;
    static Lab lab;
    static LabWebServer web;

    @BeforeAll
    static void startLabAndSend() throws Exception {
        if (!HeadlessChromium.available()) return; // the test skips itself, with the reason; spare the lab's start
        long t0 = System.nanoTime();
        data = Files.createTempDirectory("lab-page-browser");
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data));
        web = LabWebServer.start(lab, new InetSocketAddress("127.0.0.1", 0));
        System.err.printf("lab started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        var pki = lab.pki("localhost");
        SSLContext strict = TestTls.trusting(pki.caCertificate());
        // sender 1, opportunistic: takes whatever certificate it is shown (pinned here, as no trust-all is allowed)
        // (and, at dane-not-matching, delivers where a DANE sender must defer)
        for (LabProfile p : List.of(LabProfile.EXPIRED, LabProfile.WRONG_HOST, LabProfile.SELF_SIGNED, LabProfile.DANE_NOT_MATCHING)) {
            session(p, "mta.sloppy.example", PinnedTrustManager.context(pki.certificate(p.certificate()).chain().get(0)),
                    false, true, "a@sloppy.example");
        }
        session(LabProfile.NO_STARTTLS, "mta.sloppy.example", null, false, true, "a@sloppy.example");
        session(LabProfile.GOOD, "mta.sloppy.example", strict, true, true, "a@sloppy.example");
        // sender 2, strict: verifies, refuses the expired certificate, delivers to good
        assertThatThrownBy(() -> session(LabProfile.EXPIRED, "mx.careful.example", strict, true, true, "b@careful.example"))
                .isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> session(LabProfile.WRONG_HOST, "mx.careful.example", strict, true, true, "b@careful.example"))
                .isInstanceOf(SSLException.class);
        session(LabProfile.GOOD, "mx.careful.example", strict, true, true, "b@careful.example");
        // the checker's own probe of an endpoint, and a bare port check: neither is a sender
        Path ca = data.resolve("ca.pem");
        Pem.write(ca, Pem.encode(pki.caCertificate()));
        StringWriter out = new StringWriter();
        CheckCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                "127.0.0.1:" + lab.endpoint(LabProfile.CBC_SHA1).port(), "--trust", ca.toString(), "--name", "localhost",
                "--timeout", "5");
        System.err.printf("check done at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        try (Socket s = new Socket()) {
            s.connect(lab.endpoint(LabProfile.SHAME).address(), 2000);
        }
        awaitRecords();
    }

    /** Waits until the probe's and the port check's sessions are recorded (each session is recorded on close). */
    static void awaitRecords() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<SessionRecord> all = lab.records().all(0);
            boolean probe = all.stream().anyMatch(r -> SessionKind.of(r) == SessionKind.CHECKER_PROBE);
            boolean portCheck = all.stream().anyMatch(r -> SessionKind.of(r) == SessionKind.PORT_CHECK);
            if (probe && portCheck) return;
            Thread.sleep(50);
        }
        throw new AssertionError("probe and port check not recorded: " + lab.records().all(0));
    }

    static void session(LabProfile p, String ehlo, SSLContext tls, boolean verifyHost, boolean deliver, String from)
            throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(p).address())) {
            c.reply();
            c.command("EHLO " + ehlo);
            if (tls != null) {
                c.command("STARTTLS");
                c.startTls(tls, "localhost", verifyHost);
                c.command("EHLO " + ehlo);
            }
            if (deliver) assertThat(c.deliver(from, "x@lab.test", "Subject: t\r\n\r\nhi\r\n")).isEqualTo(250);
            c.command("QUIT");
        }
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
        if (lab != null) lab.close();
    }

    @Test
    void pageFits1280AndLeadsWithOneLinePerSenderAndTheFix() throws Exception {
        long started = System.nanoTime();
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            var driver = browser.driver();
            driver.get(web.url());
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d -> d.findElements(By.cssSelector("#senders li.sender")).size() == 2
                            && !d.findElements(By.cssSelector("#profiles tbody tr")).isEmpty());
            List<WebElement> senders = driver.findElements(By.cssSelector("#senders li.sender .line"));
            assertThat(senders).allMatch(WebElement::isDisplayed);
            List<String> lines = senders.stream().map(WebElement::getText).toList();
            int defective = (int) java.util.Arrays.stream(LabProfile.values()).filter(p -> !p.isGood()).count();
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("mx.careful.example (127.0.0.1) refused all 2 "
                    + "defective endpoints it tried (" + defective + " in the lab)"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("mta.sloppy.example (127.0.0.1) delivered to 5 of 5 "
                    + "defective endpoints it tried (" + defective + " in the lab): ")
                    .contains("self-signed certificate", "expired certificate", "certificate for another host", "no STARTTLS",
                            "DANE: no TLSA record matches"));
            WebElement dane = driver.findElement(By.cssSelector("#senders li.sender details.dane summary"));
            assertThat(dane.getText()).isEqualTo("DANE (RFC 7672): 0 passed, 1 failed, 8 no session");
            // a reader who opens it keeps it open: the 2 s refresh leaves an unchanged list alone
            dane.click();
            WebElement opened = driver.findElement(By.cssSelector("#senders li.sender details.dane"));
            assertThat(opened.getAttribute("open")).isNotNull();
            Thread.sleep(2500); // past one refresh of the page
            assertThat(opened.getAttribute("open")).as("still the same, open element after a refresh").isNotNull();
            String page = driver.findElement(By.tagName("body")).getText();
            assertThat(page).doesNotContain("doublelock-check").contains("checker probe", "port check", "not shown");

            WebElement fix = driver.findElement(By.id("remedies"));
            assertThat(fix.isDisplayed()).isTrue();
            assertThat(fix.getText()).contains("Verify the certificate chain and the host name",
                    "smtp_tls_security_level = secure", "smtp_tls_CAfile", "tls_verify_hosts = *", "tls_verify_certificates",
                    "relay tls", "tls_trust_file", "Require TLS", "hosts_require_tls = *",
                    "smtp_tls_security_level = dane", "hosts_try_dane = *");
            // certificate and cipher details exist, but only on demand
            WebElement details = driver.findElement(By.cssSelector("#profiles details"));
            assertThat(details.getAttribute("open")).isNull();
            assertThat(driver.findElement(By.cssSelector("#profiles details div.mono")).isDisplayed()).isFalse();

            browser.screenshot("lab-page-1280");
            browser.openAllDetails();
            HeadlessChromium.Overflow o = browser.overflow();
            assertThat(o.viewport()).isEqualTo(1280);
            assertThat(o.documentWidth()).as("document scroll width").isLessThanOrEqualTo(o.viewport());
            assertThat(o.offenders()).as("elements wider than the viewport or overflowing").isEmpty();
            browser.fullPageScreenshot("lab-page-1280-full");

            // the toggle shows what was left out
            driver.get(web.url() + "?all=1");
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d -> d.findElements(By.cssSelector("#senders li.sender")).size() == 4);
            assertThat(driver.findElement(By.id("senders")).getText()).contains("doublelock-check.invalid", "no EHLO");
            assertThat(driver.findElement(By.id("show-all")).isSelected()).isTrue();
            browser.openAllDetails();
            assertThat(browser.overflow().offenders()).isEmpty();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
}
