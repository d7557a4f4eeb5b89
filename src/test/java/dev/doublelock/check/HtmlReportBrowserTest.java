package dev.doublelock.check;

import dev.doublelock.cli.CheckCommand;
import dev.doublelock.testing.HeadlessChromium;
import dev.doublelock.testing.LabProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker's HTML report with several targets in a real browser (headless Debian chromium): it fits 1280 px
 * and an A4 page's width (794 px at 96 dpi), the findings' "How to fix" and "Rule" columns are on screen, and the
 * summary table and the sections list the targets in input order — the first target is a silent server that is
 * checked last, so completion order differs from input order.
 */
class HtmlReportBrowserTest {
    /** True if {@code text} names {@code target} (not merely a longer port that starts with its digits). */
    static boolean mentions(String text, String target) {
        return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(target) + "(?!\\d)").matcher(text).find();
    }

    @Test
    void severalTargetsFitThePageWithASummaryInInputOrder(@TempDir Path dir) throws Exception {
        HeadlessChromium.assumeAvailable();
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LabProcess lab = LabProcess.start(dir.resolve("lab"));
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> { // accepts and never greets: the prober waits for its read timeout
                try {
                    while (true) held.add(silent.accept());
                } catch (Exception closed) {
                    // the test is over
                }
            });
            List<String> targets = List.of("127.0.0.1:" + silent.getLocalPort(), "127.0.0.1:" + lab.port("shame"),
                    "127.0.0.1:" + lab.port("good"), "127.0.0.1:" + lab.port("no-pfs"), "127.0.0.1:" + lab.port("expired"));
            Path html = dir.resolve("report.html");
            List<String> args = new ArrayList<>(targets);
            args.addAll(List.of("--trust", lab.caFile().toString(), "--name", "localhost", "--timeout", "30",
                    "--html", html.toString()));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var run = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    CheckCommand.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new)));
            // the silent target stays silent until every other target's report is out: it finishes last
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!targets.subList(1, targets.size()).stream().allMatch(t -> mentions(out.toString(), t))) {
                assertThat(System.nanoTime()).as("the lab targets were not checked in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(mentions(out.toString(), targets.get(0))).as("the silent target is still being checked").isFalse();
            silent.close();
            for (Socket s : held) s.close();
            int exit = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(exit).as(err.toString()).isEqualTo(1);
            assertThat(mentions(out.toString(), targets.get(0))).isTrue();

            try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
                var driver = browser.driver();
                driver.get(html.toUri().toString());
                List<WebElement> rows = driver.findElements(By.cssSelector("table.summary tr td:nth-child(2)"));
                assertThat(rows.stream().map(WebElement::getText).toList()).containsExactlyElementsOf(targets);
                assertThat(driver.findElements(By.cssSelector("section h2")).stream()
                        .map(h -> h.getText().substring(0, h.getText().indexOf(':', h.getText().indexOf(':') + 1)))
                        .toList()).containsExactlyElementsOf(targets);
                assertThat(driver.findElements(By.cssSelector("p.relay"))).hasSizeGreaterThanOrEqualTo(4)
                        .allMatch(WebElement::isDisplayed);
                for (String header : List.of("How to fix", "Rule")) {
                    List<WebElement> ths = driver.findElements(By.xpath("//th[text()='" + header + "']"));
                    assertThat(ths).isNotEmpty().allMatch(WebElement::isDisplayed);
                    for (WebElement th : ths) {
                        assertThat(th.getRect().getX() + th.getRect().getWidth()).as(header).isLessThanOrEqualTo(1280);
                    }
                }
                HeadlessChromium.Overflow wide = browser.overflow();
                assertThat(wide.viewport()).isEqualTo(1280);
                assertThat(wide.documentWidth()).isLessThanOrEqualTo(wide.viewport());
                assertThat(wide.offenders()).isEmpty();
                browser.screenshot("check-report-1280");
                browser.fullPageScreenshot("check-report-1280-full");
            }
            try (HeadlessChromium a4 = HeadlessChromium.start(794, 1123)) {
                a4.driver().get(html.toUri().toString());
                HeadlessChromium.Overflow narrow = a4.overflow();
                assertThat(narrow.viewport()).isEqualTo(794);
                assertThat(narrow.documentWidth()).isLessThanOrEqualTo(narrow.viewport());
                assertThat(narrow.offenders()).isEmpty();
                a4.screenshot("check-report-a4");
            }
            assertThat(Files.readString(html)).contains("<h2>Summary</h2>");
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
