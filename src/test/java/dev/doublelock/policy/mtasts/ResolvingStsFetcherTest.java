package dev.doublelock.policy.mtasts;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StsFetcher#resolvingThrough}: the policy host's address comes from the caller's resolver (here a map; in the
 * relay its DNS), and the fetcher speaks HTTP/1.1 over TLS itself — with SNI and host name verification for
 * {@code mta-sts.DOMAIN}, the Host header naming it, and the same refusals as the JDK-client fetcher.
 */
@Timeout(30)
class ResolvingStsFetcherTest {
    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmax_age: 604800\r\n";
    private final TestCa ca = new TestCa("MTA-STS Test CA");
    private final Map<String, String> served = new ConcurrentHashMap<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpsServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.leaf("mta-sts.enforce.test", "mta-sts.chunked.test",
                "mta-sts.big.test", "mta-sts.moved.test", "mta-sts.slow.test", "mta-sts.html.test").serverContext()));
        server.createContext("/", ex -> {
            String host = ex.getRequestHeaders().getFirst("Host");
            String sni = ((ExtendedSSLSession) ((HttpsExchange) ex).getSSLSession()).getRequestedServerNames().stream()
                    .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse("-");
            seen.add(host + " " + sni + " " + ex.getRequestURI().getPath());
            String name = host.substring(0, host.indexOf(':'));
            byte[] body = served.getOrDefault(name, "").getBytes(StandardCharsets.UTF_8);
            switch (name) {
                case "mta-sts.moved.test" -> {
                    ex.getResponseHeaders().set("Location", "https://elsewhere.test/");
                    ex.sendResponseHeaders(302, -1);
                }
                case "mta-sts.slow.test" -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ex.sendResponseHeaders(500, -1);
                }
                default -> {
                    ex.getResponseHeaders().set("Content-Type", name.equals("mta-sts.html.test") ? "text/html" : "text/plain");
                    boolean chunked = name.equals("mta-sts.chunked.test") || name.equals("mta-sts.big.test");
                    ex.sendResponseHeaders(body.length == 0 ? 404 : 200, chunked ? 0 : body.length == 0 ? -1 : body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < body.length; i += 1000) out.write(body, i, Math.min(1000, body.length - i));
                    } catch (java.io.IOException clientGaveUp) {
                        // expected for the oversized body
                    }
                }
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private StsFetcher fetcher(TestCa trusted, Duration timeout) throws Exception {
        return StsFetcher.resolvingThrough(trusted.clientContext(), timeout, StsFetcher.DEFAULT_MAX_BYTES, host -> {
            if (host.endsWith(".test") && !host.equals("mta-sts.nowhere.test")) return List.of(InetAddress.getLoopbackAddress());
            throw new UnknownHostException(host + ": NXDOMAIN");
        }, server.getAddress().getPort());
    }

    @Test
    void fetchesFromTheResolvedAddressWithSniAndHostForThePolicyHost() throws Exception {
        served.put("mta-sts.enforce.test", ENFORCE);
        FetchResult r = fetcher(ca, Duration.ofSeconds(10)).fetch("enforce.test");
        assertThat(r).isEqualTo(new FetchResult.Ok(new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("mx1.example.test"),
                604800), ENFORCE));
        assertThat(seen).containsExactly("mta-sts.enforce.test:" + server.getAddress().getPort()
                + " mta-sts.enforce.test /.well-known/mta-sts.txt");
    }

    @Test
    void aChunkedBodyIsReadAndAnOversizedOneRefused() throws Exception {
        served.put("mta-sts.chunked.test", ENFORCE + "x-padding: " + "a".repeat(20_000) + "\r\n");
        assertThat(fetcher(ca, Duration.ofSeconds(10)).fetch("chunked.test")).isInstanceOf(FetchResult.Ok.class);
        served.put("mta-sts.big.test", ENFORCE + "x-padding: " + "a".repeat(70 * 1024) + "\r\n");
        FetchResult big = fetcher(ca, Duration.ofSeconds(10)).fetch("big.test");
        assertThat(big).isInstanceOf(FetchResult.FetchError.class);
        assertThat(((FetchResult.FetchError) big).reason()).contains("larger than 65536");
    }

    @Test
    void redirectsMediaTypesAndMissingPoliciesAreRefused() throws Exception {
        StsFetcher f = fetcher(ca, Duration.ofSeconds(10));
        FetchResult moved = f.fetch("moved.test");
        assertThat(moved).isInstanceOf(FetchResult.FetchError.class);
        assertThat(((FetchResult.FetchError) moved).reason()).contains("302", "redirect", "https://elsewhere.test/");
        served.put("mta-sts.html.test", ENFORCE);
        assertThat(f.fetch("html.test")).isInstanceOf(FetchResult.Invalid.class);
        assertThat(f.fetch("enforce.test")).isInstanceOf(FetchResult.FetchError.class)
                .extracting(Object::toString).asString().contains("HTTP 404");
    }

    @Test
    void anUntrustedOrMisnamedCertificateIsWebPkiInvalid() throws Exception {
        served.put("mta-sts.enforce.test", ENFORCE);
        FetchResult untrusted = fetcher(new TestCa("Unrelated CA"), Duration.ofSeconds(10)).fetch("enforce.test");
        assertThat(untrusted).isInstanceOf(FetchResult.WebPkiInvalid.class);
        // the certificate names six policy hosts, not this one
        FetchResult misnamed = fetcher(ca, Duration.ofSeconds(10)).fetch("other.test");
        assertThat(misnamed).isInstanceOf(FetchResult.WebPkiInvalid.class);
        assertThat(seen).as("no request went to a host that could not prove its name").isEmpty();
    }

    @Test
    void noAddressAndASlowHostAreFetchErrors() throws Exception {
        FetchResult none = fetcher(ca, Duration.ofSeconds(10)).fetch("nowhere.test");
        assertThat(none).isInstanceOf(FetchResult.FetchError.class);
        assertThat(((FetchResult.FetchError) none).reason()).contains("no address for mta-sts.nowhere.test", "NXDOMAIN");
        long start = System.nanoTime();
        FetchResult slow = fetcher(ca, Duration.ofMillis(500)).fetch("slow.test");
        assertThat(slow).isInstanceOf(FetchResult.FetchError.class);
        assertThat(((FetchResult.FetchError) slow).reason()).contains("within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
