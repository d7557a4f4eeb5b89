package dev.doublelock.relay;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.relay.delivery.PolicyMap;
import dev.doublelock.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay page in a real browser (headless Debian chromium, 1280 × 900) over {@link RelayPageFixture}'s queue, in
 * testing mode: the impact numbers, the waiting-by-domain table and the refusals by finding code as rendered in the
 * DOM; a shorter window drops the older would-be refusal; nothing overflows sideways. One browser for the class.
 */
class RelayPageBrowserTest {
    @TempDir
    static Path dir;
    static QueueStore store;
    static RelayPage page;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeAvailable();
        store = QueueStores.open(dir.resolve("queue.db").toString());
        RelayPageFixture.fill(store, Clock.systemUTC().instant());
        page = RelayPage.start(new InetSocketAddress("127.0.0.1", 0), store, PolicyMap.Mode.TESTING, Clock.systemUTC());
        browser = HeadlessChromium.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (page != null) page.close();
        if (store != null) store.close();
    }

    static WebDriver load(String query) {
        WebDriver d = browser.driver();
        d.get(page.url() + query);
        new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> "true".equals(
                x.findElement(By.tagName("body")).getAttribute("data-loaded")));
        return d;
    }

    static String text(WebDriver d, String css) {
        return d.findElement(By.cssSelector(css)).getText();
    }

    @Test
    void showsTheImpactWhatWaitsAndTheRefusalsByFinding() throws Exception {
        WebDriver d = load("");
        // the impact report, as numbers and as the sentence
        assertThat(text(d, "#impact-messages")).isEqualTo("4");
        assertThat(text(d, "#impact-domains")).isEqualTo("2");
        assertThat(text(d, "#impact-headline")).isEqualTo("If you enforced now: 4 messages to 2 domains would wait "
                + "(of 7 messages delivered or tried in the last 7 days).");
        assertThat(d.findElement(By.id("impact")).getAttribute("class")).isEqualTo("waits");
        assertThat(text(d, "#impact-note")).contains("testing mode");
        List<WebElement> top = d.findElements(By.cssSelector("#impact-top tbody tr"));
        assertThat(top).hasSize(2);
        assertThat(top.get(0).findElement(By.cssSelector("td.domain")).getText()).isEqualTo("self.example");
        assertThat(top.get(0).findElement(By.cssSelector("td.messages")).getText()).isEqualTo("3");
        assertThat(top.get(0).findElement(By.cssSelector("ul.reasons")).getText()).isEqualTo(
                "the receiving server's certificate is not issued by a trusted authority [UNKNOWN_ISSUER] — 3 messages");
        assertThat(top.get(1).getAttribute("data-domain")).isEqualTo("tls10.example");
        assertThat(top.get(1).getText()).contains("the receiving server uses an outdated TLS version "
                + "[PROTOCOL_NOT_RECOMMENDED] — 1 message");

        // what waits, by domain and reason
        assertThat(text(d, "#states")).isEqualTo("3 messages wait (queued 3, being delivered 0, deferred 0, held 0).");
        List<WebElement> waiting = d.findElements(By.cssSelector("#waiting tbody tr"));
        assertThat(waiting).extracting(r -> r.getAttribute("data-domain")).containsExactly("expired.example", "slow.example");
        assertThat(waiting.get(0).findElement(By.cssSelector("td.recipients")).getText()).isEqualTo("3");
        WebElement reason = waiting.get(0).findElement(By.cssSelector("div.reason"));
        assertThat(reason.findElement(By.cssSelector(".count")).getText()).startsWith("2 messages since ");
        assertThat(reason.findElement(By.cssSelector(".text")).getText()).isEqualTo(RelayPageFixture.EXPIRED_REASON);
        assertThat(reason.findElement(By.cssSelector("ul.reasons")).getText())
                .isEqualTo("the receiving server's certificate expired [EXPIRED_CERTIFICATE]");
        assertThat(waiting.get(1).getText()).contains("1 message since").contains("not tried yet");

        // refusals by finding code: totals, and per day
        assertThat(text(d, "#slot")).isEqualTo("day");
        assertThat(row(d, "EXPIRED_CERTIFICATE")).containsExactly("EXPIRED_CERTIFICATE",
                "the receiving server's certificate expired", "2", "0");
        assertThat(row(d, "UNKNOWN_ISSUER")).containsExactly("UNKNOWN_ISSUER",
                "the receiving server's certificate is not issued by a trusted authority", "0", "3");
        assertThat(row(d, "PROTOCOL_NOT_RECOMMENDED")).element(3).isEqualTo("1");
        List<WebElement> days = d.findElements(By.cssSelector("#refusals-by-slot tbody tr"));
        assertThat(days).hasSizeBetween(2, 3); // today (and yesterday just after midnight), and the day 30 hours ago
        long uiInAll = days.stream().map(r -> r.findElement(By.cssSelector("td[data-code='UNKNOWN_ISSUER']")).getText())
                .filter(t -> !t.isEmpty()).mapToLong(t -> Long.parseLong(t.split(" \\+ ")[1])).sum();
        assertThat(uiInAll).as("would-refuse UNKNOWN_ISSUER summed over the days").isEqualTo(3);
        assertThat(d.findElement(By.id("error")).getText()).isEmpty();

        browser.screenshot("relay-page-1280");
        browser.fullPageScreenshot("relay-page-1280-full");
        HeadlessChromium.Overflow o = browser.overflow();
        assertThat(o.documentWidth()).as("document scroll width").isLessThanOrEqualTo(o.viewport());
        assertThat(o.offenders()).as("elements wider than the viewport or overflowing").isEmpty();
    }

    @Test
    void aShorterWindowLeavesTheOlderSessionsOut() {
        WebDriver d = load("?since=1d");
        assertThat(d.findElement(By.id("since")).getAttribute("value")).isEqualTo("1d");
        assertThat(text(d, "#impact-messages")).isEqualTo("3");
        assertThat(text(d, "#impact-headline")).contains("in the last day");
        assertThat(text(d, "#slot")).isEqualTo("hour");
        assertThat(row(d, "UNKNOWN_ISSUER")).element(3).isEqualTo("2");
        assertThat(d.findElements(By.cssSelector("#waiting tbody tr"))).as("what waits has no window").hasSize(2);
    }

    /** The cells of the refusal-codes row for {@code code}. */
    static List<String> row(WebDriver d, String code) {
        return d.findElement(By.cssSelector("#refusal-codes tr[data-code='" + code + "']")).findElements(By.tagName("td"))
                .stream().map(WebElement::getText).toList();
    }
}
