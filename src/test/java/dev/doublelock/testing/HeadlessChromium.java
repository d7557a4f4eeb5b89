package dev.doublelock.testing;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's {@code chromium} driven headless through its {@code chromedriver} (packages chromium and
 * chromium-driver; override the paths with DOUBLELOCK_CHROMIUM / DOUBLELOCK_CHROMEDRIVER). Tests using it skip,
 * with the reason, when either is missing. The browser may resolve no name but localhost and runs without its
 * background services, so it talks to loopback only.
 */
public final class HeadlessChromium implements AutoCloseable {
    private final ChromeDriver driver;
    private final Path profileDir;

    private HeadlessChromium(ChromeDriver driver, Path profileDir) {
        this.driver = driver;
        this.profileDir = profileDir;
    }

    private static Path chromium() {
        return Path.of(System.getenv().getOrDefault("DOUBLELOCK_CHROMIUM", "/usr/bin/chromium"));
    }

    private static Path chromedriver() {
        return Path.of(System.getenv().getOrDefault("DOUBLELOCK_CHROMEDRIVER", "/usr/bin/chromedriver"));
    }

    /** True if both the browser and its driver are installed. */
    public static boolean available() {
        return Files.isExecutable(chromium()) && Files.isExecutable(chromedriver());
    }

    /** Skips the calling test (or class, from {@code @BeforeAll}) with the reason when the browser is missing. */
    public static void assumeAvailable() {
        assumeTrue(Files.isExecutable(chromium()), "no browser at " + chromium() + " (Debian package chromium)");
        assumeTrue(Files.isExecutable(chromedriver()), "no chromedriver at " + chromedriver() + " (Debian package chromium-driver)");
    }

    /** Starts the browser with a {@code width} × {@code height} viewport, or skips the calling test. */
    public static HeadlessChromium start(int width, int height) throws IOException {
        assumeAvailable();
        Path chromium = chromium();
        Path chromedriver = chromedriver();
        Path profile = Files.createTempDirectory("doublelock-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-pings", "--disable-domain-reliability",
                "--disable-client-side-phishing-detection", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().withSilent(true).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15)).scriptTimeout(Duration.ofSeconds(10));
        HeadlessChromium browser = new HeadlessChromium(driver, profile);
        long inner = ((Number) browser.js("return window.innerWidth")).longValue();
        if (inner != width) { // --window-size sets the outer size on some builds: correct to the wanted viewport
            Dimension outer = driver.manage().window().getSize();
            driver.manage().window().setSize(new Dimension(outer.width + (int) (width - inner), height));
        }
        return browser;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Opens every {@code <details>}, so what is shown on demand is measured too. */
    public void openAllDetails() {
        js("document.querySelectorAll('details').forEach(d => d.open = true)");
    }

    /** The viewport width, the document's scroll width, and every element that reaches past the viewport. */
    public record Overflow(long viewport, long documentWidth, List<String> offenders) {
    }

    /**
     * Measures horizontal overflow: the document's scroll width against the viewport, every rendered element whose
     * box reaches past either edge, and every element whose own content overflows it sideways.
     */
    @SuppressWarnings("unchecked")
    public Overflow overflow() {
        Map<String, Object> m = (Map<String, Object>) js("""
                const vw = window.innerWidth, out = [];
                for (const e of document.querySelectorAll('body, body *')) {
                  const r = e.getBoundingClientRect();
                  if (r.width === 0 && r.height === 0) continue;
                  const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : '');
                  if (r.right > vw + 0.5 || r.left < -0.5 || r.width > vw) out.push(name + ' box ' + Math.round(r.left) + '..' + Math.round(r.right));
                  const cs = getComputedStyle(e);
                  if (cs.display !== 'inline' && cs.overflowX === 'visible' && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
                    out.push(name + ' content ' + e.scrollWidth + ' > ' + e.clientWidth);
                }
                return {viewport: vw, doc: document.documentElement.scrollWidth, offenders: out.slice(0, 20)};
                """);
        return new Overflow(((Number) m.get("viewport")).longValue(), ((Number) m.get("doc")).longValue(),
                (List<String>) m.get("offenders"));
    }

    /** Saves a PNG of the viewport under {@code target/browser/NAME.png} for the record; returns its path. */
    public Path screenshot(String name) throws IOException {
        Path dir = Path.of("target", "browser");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file.toAbsolutePath();
    }

    /** Saves a PNG of the whole page (all of its height) under {@code target/browser/NAME.png}. */
    public Path fullPageScreenshot(String name) throws IOException {
        long height = ((Number) js("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(before.width, (int) Math.min(height + 150, 12000)));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profileDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
