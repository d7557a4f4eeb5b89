package dev.doublelock.policy.mtasts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** StsFetcher against a local HTTPS server with a certificate from a CA generated here. */
class StsFetcherTest {
    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.mx.example.test\r\nmax_age: 604800\r\n";
    private final TestCa ca = new TestCa("MTA-STS Test CA");
    private PolicyServer server;
    private StsFetcher fetcher;

    @BeforeEach
    void start() throws Exception {
        server = new PolicyServer(ca.leaf("mta-sts.example.test", "127.0.0.1"));
        fetcher = new StsFetcher(ca.clientContext(), Duration.ofSeconds(10), StsFetcher.DEFAULT_MAX_BYTES, server::uri);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void enforcePolicyIsFetched() {
        server.policy("enforce.test", ENFORCE);
        FetchResult r = fetcher.fetch("enforce.test");
        assertThat(r).isEqualTo(new FetchResult.Ok(new StsPolicy(StsPolicy.Mode.ENFORCE,
                List.of("mx1.example.test", "*.mx.example.test"), 604800), ENFORCE));
        StsPolicy p = ((FetchResult.Ok) r).policy();
        assertThat(p.matchesMx("mx1.example.test")).isTrue();
        assertThat(p.matchesMx("a.mx.example.test")).isTrue();
        assertThat(p.matchesMx("evil.example.net")).isFalse(); // MX not in policy
    }

    @Test
    void testingPolicyIsFetched() {
        server.policy("testing.test", "version: STSv1\nmode: testing\nmx: mx1.example.test\nmax_age: 86400\n");
        assertThat(fetcher.fetch("testing.test")).isInstanceOf(FetchResult.Ok.class)
                .extracting(r -> ((FetchResult.Ok) r).policy().mode()).isEqualTo(StsPolicy.Mode.TESTING);
    }

    @Test
    void redirectIsRefusedAndNotFollowed() {
        server.policy("target.test", ENFORCE);
        server.serve("moved.test", ex -> {
            ex.getResponseHeaders().set("Location", server.uri("target.test").toString());
            ex.sendResponseHeaders(301, -1);
            ex.close();
        });
        FetchResult r = fetcher.fetch("moved.test");
        assertThat(r).isInstanceOf(FetchResult.FetchError.class);
        assertThat(((FetchResult.FetchError) r).reason()).contains("301").contains("redirect");
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void oversizedBodyIsRefused() {
        String big = ENFORCE + "x-padding: " + "a".repeat(70 * 1024) + "\n";
        server.serve("big.test", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0); // chunked: the size is only known while streaming
            try (OutputStream out = ex.getResponseBody()) {
                out.write(big.getBytes());
            } catch (java.io.IOException clientGaveUp) {
                // expected: the fetcher stops reading at the cap
            }
        });
        FetchResult r = fetcher.fetch("big.test");
        assertThat(r).isInstanceOf(FetchResult.FetchError.class);
        assertThat(((FetchResult.FetchError) r).reason()).contains("larger than 65536");
    }

    @Test
    void bodyJustUnderTheCapIsAccepted() {
        String body = ENFORCE + "x-padding: " + "a".repeat(60 * 1024) + "\n";
        server.policy("fits.test", body);
        assertThat(fetcher.fetch("fits.test")).isInstanceOf(FetchResult.Ok.class);
    }

    @Test
    void slowServerTimesOut() throws Exception {
        server.serve("slow.test", ex -> {
            try {
                server.release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        StsFetcher quick = new StsFetcher(ca.clientContext(), Duration.ofMillis(300), StsFetcher.DEFAULT_MAX_BYTES, server::uri);
        FetchResult r = quick.fetch("slow.test");
        assertThat(r).isInstanceOf(FetchResult.FetchError.class);
        assertThat(((FetchResult.FetchError) r).reason()).containsAnyOf("within", "in time");
    }

    @Test
    void untrustedCertificateIsWebPkiInvalid() throws Exception {
        server.policy("enforce.test", ENFORCE);
        StsFetcher other = new StsFetcher(new TestCa("Unrelated CA").clientContext(), Duration.ofSeconds(10),
                StsFetcher.DEFAULT_MAX_BYTES, server::uri);
        FetchResult r = other.fetch("enforce.test");
        assertThat(r).isInstanceOf(FetchResult.WebPkiInvalid.class);
        assertThat(r.tlsRptResultType()).isEqualTo("sts-webpki-invalid");
    }

    @Test
    void wrongMediaTypeIsInvalid() {
        server.serve("html.test", ex -> PolicyServer.respond(ex, 200, "text/html", ENFORCE));
        assertThat(fetcher.fetch("html.test")).isInstanceOf(FetchResult.Invalid.class);
    }

    @Test
    void malformedPolicyIsInvalid() {
        server.policy("bad.test", "version: STSv1\nmode: enforce\nmax_age: 60\n");
        FetchResult r = fetcher.fetch("bad.test");
        assertThat(r).isInstanceOf(FetchResult.Invalid.class);
        assertThat(((FetchResult.Invalid) r).reason()).contains("mx");
        assertThat(r.tlsRptResultType()).isEqualTo("sts-policy-invalid");
    }

    @Test
    void notFoundIsFetchError() {
        assertThat(fetcher.fetch("absent.test")).isInstanceOf(FetchResult.FetchError.class);
    }

    @Test
    void clientThatFollowsRedirectsIsRejected() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> new StsFetcher(following, Duration.ofSeconds(1), 1024, server::uri))
                .hasMessageContaining("Redirect.NEVER");
    }
}
