package dev.doublelock.web;

import dev.doublelock.lab.Lab;
import dev.doublelock.lab.LabDnsOptions;
import dev.doublelock.lab.LabOptions;
import dev.doublelock.lab.MtaStsOptions;
import dev.doublelock.lab.MtaStsScenario;
import dev.doublelock.testing.HeadlessChromium;
import dev.doublelock.testing.PinnedTrustManager;
import dev.doublelock.testing.RawSmtpClient;
import dev.doublelock.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.xbill.DNS.Name;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab page's "MTA-STS scenarios" section in a real browser (headless Debian chromium): one sender that verifies
 * certificates delivers over TLS to sts-enforce-good (passed) and, pinning whatever it is shown, to
 * sts-enforce-self-signed (failed: the policy says refuse); the section shows that sender's row with exactly those
 * two judgements and the table of all five scenarios, each with what a sender must do.
 */
class LabMtaStsPageBrowserTest {
    static final Name ZONE = Name.fromConstantString("lab.test.");
    static Lab lab;
    static LabWebServer web;

    @BeforeAll
    static void start() throws Exception {
        if (!HeadlessChromium.available()) return; // the test skips itself, with the reason
        Path data = Files.createTempDirectory("lab-mta-sts-page");
        dev.doublelock.testing.LabPkiTemplate.seed(data);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data)
                .withDns(Optional.of(LabDnsOptions.of(ZONE.toString(), any)))
                .withMtaSts(Optional.of(new MtaStsOptions(any, InetAddress.getLoopbackAddress(), 0))));
        web = LabWebServer.start(lab, new InetSocketAddress("127.0.0.1", 0));
        SSLContext strict = TestTls.trusting(lab.pki("localhost").caCertificate());
        deliver(MtaStsScenario.ENFORCE_GOOD, strict, true);
        // the self-signed MX: a sender that takes what it is shown (pinned to that leaf: no trust-all here)
        deliver(MtaStsScenario.ENFORCE_SELF_SIGNED, PinnedTrustManager.context(shownBy(MtaStsScenario.ENFORCE_SELF_SIGNED)), false);
    }

    /** The leaf a scenario's MX shows: one handshake whose trust manager records it and trusts nothing. */
    static java.security.cert.X509Certificate shownBy(MtaStsScenario s) throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.security.cert.X509Certificate> shown = new java.util.concurrent.atomic.AtomicReference<>();
        SSLContext recorder = SSLContext.getInstance("TLS");
        recorder.init(null, new javax.net.ssl.TrustManager[]{new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) throws java.security.cert.CertificateException {
                throw new java.security.cert.CertificateException("a client only");
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) throws java.security.cert.CertificateException {
                shown.set(c[0]);
                throw new java.security.cert.CertificateException("recorded, never trusted");
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (RawSmtpClient c = new RawSmtpClient(endpoint(s))) {
            c.code();
            c.command("EHLO mx.sender.example");
            c.command("STARTTLS");
            c.startTls(recorder, s.mxHost(ZONE).toString(true), false);
        } catch (javax.net.ssl.SSLException expected) {
            // the recorder refuses every chain
        }
        assertThat(shown.get()).as("the MX showed a certificate").isNotNull();
        return shown.get();
    }

    static InetSocketAddress endpoint(MtaStsScenario s) {
        return lab.mtaStsEndpoints().stream().filter(r -> r.scenario() == s).findFirst().orElseThrow().address();
    }

    static void deliver(MtaStsScenario s, SSLContext tls, boolean verifyHost) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(endpoint(s))) {
            assertThat(c.code()).isEqualTo(220);
            c.command("EHLO mx.sender.example");
            c.command("STARTTLS");
            c.startTls(tls, s.mxHost(ZONE).toString(true), verifyHost);
            c.command("EHLO mx.sender.example");
            assertThat(c.deliver("a@sender.example", "probe@" + s.domain(ZONE).toString(true), "Subject: t\r\n\r\nhi\r\n"))
                    .isEqualTo(250);
            c.command("QUIT");
        }
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
        if (lab != null) lab.close();
    }

    @Test
    void theSectionShowsEachScenarioAndTheSendersJudgement() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            var driver = browser.driver();
            driver.get(web.url());
            new WebDriverWait(driver, Duration.ofSeconds(15))
                    .until(d -> !d.findElements(By.cssSelector("#mta-sts-results table.sts tbody tr")).isEmpty());
            List<WebElement> scenarios = driver.findElements(By.cssSelector("#mta-sts-results table.sts-scenarios tbody tr"));
            assertThat(scenarios).hasSize(MtaStsScenario.values().length);
            for (MtaStsScenario s : MtaStsScenario.values()) {
                assertThat(scenarios.get(s.ordinal()).getText()).contains(s.scenarioName(), s.expectation().words());
            }
            List<WebElement> rows = driver.findElements(By.cssSelector("#mta-sts-results table.sts tbody tr"));
            assertThat(rows).hasSize(1);
            List<WebElement> cells = rows.getFirst().findElements(By.tagName("td"));
            assertThat(cells.getFirst().getText()).contains("mx.sender.example");
            assertThat(cells.get(1 + MtaStsScenario.ENFORCE_GOOD.ordinal()).getText()).isEqualTo("passed");
            assertThat(cells.get(1 + MtaStsScenario.ENFORCE_SELF_SIGNED.ordinal()).getText()).isEqualTo("failed");
            assertThat(cells.get(1 + MtaStsScenario.ENFORCE_SELF_SIGNED.ordinal()).getAttribute("title")).isNotBlank();
            assertThat(cells.get(1 + MtaStsScenario.ENFORCE_SELF_SIGNED.ordinal()).isDisplayed()).isTrue();
        }
    }
}
