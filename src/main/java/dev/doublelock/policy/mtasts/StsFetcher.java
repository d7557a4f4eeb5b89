package dev.doublelock.policy.mtasts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Fetches an MTA-STS policy from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} as
 * RFC 8461 §3.3 requires: HTTPS with Web PKI validation for the {@code mta-sts} host name, no
 * redirects (a 3xx is an error), only status 200 with media type text/plain, a size cap enforced
 * while the body streams in, and one deadline for the whole exchange. Nothing is cached here.
 *
 * <p>Two ways to reach the policy host: the JDK's HTTP client, which asks the operating system for its address
 * ({@link #withDefaults}, the checker), or {@link #resolvingThrough}, which asks the caller's resolver — the relay's
 * own, so its MTA-STS lookups go to the DNS it is configured with, like its MX, TLSA and TXT lookups.
 */
public final class StsFetcher {
    /** 64 KiB, the cap RFC 8461 §3.3 suggests. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /** RFC 8461 §3.3: the policy host is reached on the HTTPS port. */
    public static final int HTTPS_PORT = 443;

    /** The addresses of a policy host, from a resolver of the caller's choice. */
    @FunctionalInterface
    public interface PolicyHostAddresses {
        /** @throws java.net.UnknownHostException with the DNS outcome when there is no address */
        java.util.List<java.net.InetAddress> of(String host) throws java.net.UnknownHostException;

        /** A and AAAA records from {@code resolver}; any other outcome (NXDOMAIN, SERVFAIL, …) is no address. */
        static PolicyHostAddresses from(dev.doublelock.dns.MailResolver resolver) {
            return host -> {
                dev.doublelock.dns.Lookup<java.util.List<java.net.InetAddress>> found = resolver.addresses(host);
                if (found instanceof dev.doublelock.dns.Lookup.Found<java.util.List<java.net.InetAddress>> f) return f.value();
                throw new java.net.UnknownHostException("A/AAAA " + host + ": " + found);
            };
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final int maxBytes;
    private final Function<String, URI> policyUri;
    // resolvingThrough: the TLS context, the resolver and the port (client is null then)
    private final SSLContext sslContext;
    private final PolicyHostAddresses addresses;
    private final int port;

    /**
     * @param sslContext whose trust decides Web PKI validity (the JDK default for real use, a test CA in tests)
     * @param policyUri  domain → policy URI; {@link #standardUri(String)} outside tests
     */
    public StsFetcher(SSLContext sslContext, Duration timeout, int maxBytes, Function<String, URI> policyUri) {
        this(HttpClient.newBuilder().sslContext(sslContext).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout).build(), timeout, maxBytes, policyUri);
    }

    /** With a caller's client, which must not follow redirects. */
    public StsFetcher(HttpClient client, Duration timeout, int maxBytes, Function<String, URI> policyUri) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HttpClient must use Redirect.NEVER: RFC 8461 §3.3 forbids following redirects");
        }
        if (maxBytes <= 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout and maxBytes must be positive");
        }
        this.client = client;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.policyUri = policyUri;
        this.sslContext = null;
        this.addresses = null;
        this.port = HTTPS_PORT;
    }

    private StsFetcher(SSLContext sslContext, Duration timeout, int maxBytes, PolicyHostAddresses addresses, int port) {
        if (maxBytes <= 0 || timeout.isNegative() || timeout.isZero() || port <= 0 || port > 65535) {
            throw new IllegalArgumentException("timeout, maxBytes and port must be positive");
        }
        this.client = null;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.policyUri = domain -> URI.create("https://mta-sts." + domain + (port == HTTPS_PORT ? "" : ":" + port)
                + POLICY_PATH);
        this.sslContext = sslContext;
        this.addresses = addresses;
        this.port = port;
    }

    /**
     * A fetcher that finds {@code mta-sts.DOMAIN} through {@code addresses} (the caller's resolver) and speaks
     * HTTP/1.1 over TLS itself, with SNI and Web PKI host name verification for that name.
     *
     * @param sslContext whose trust decides Web PKI validity
     * @param port       {@link #HTTPS_PORT} outside tests
     */
    public static StsFetcher resolvingThrough(SSLContext sslContext, Duration timeout, int maxBytes,
                                              PolicyHostAddresses addresses, int port) {
        return new StsFetcher(sslContext, timeout, maxBytes, addresses, port);
    }

    /** {@link #resolvingThrough} with the JDK's default trust (its CA store), 64 KiB and port 443. */
    public static StsFetcher resolvingThrough(PolicyHostAddresses addresses, Duration timeout) {
        try {
            return resolvingThrough(SSLContext.getDefault(), timeout, DEFAULT_MAX_BYTES, addresses, HTTPS_PORT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no default TLS context", e);
        }
    }

    /** The path every policy is served at (RFC 8461 §3.3). */
    public static final String POLICY_PATH = "/.well-known/mta-sts.txt";

    /** Default trust (the JDK's CA store), 64 KiB, the standard URI. */
    public static StsFetcher withDefaults(Duration timeout) {
        try {
            return new StsFetcher(SSLContext.getDefault(), timeout, DEFAULT_MAX_BYTES, StsFetcher::standardUri);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no default TLS context", e);
        }
    }

    public static URI standardUri(String domain) {
        return URI.create("https://mta-sts." + domain + "/.well-known/mta-sts.txt");
    }

    public FetchResult fetch(String domain) {
        if (client == null) return fetchResolved(domain);
        URI uri = policyUri.apply(domain);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request, info ->
                info.statusCode() == 200 ? new CappedBody(maxBytes) : HttpResponse.BodySubscribers.replacing(new byte[0]));
        try {
            return judge(uri, pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new FetchResult.FetchError("no complete answer from " + uri + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new FetchResult.FetchError("interrupted while fetching " + uri);
        } catch (ExecutionException e) {
            return failure(uri, e.getCause());
        }
    }

    private FetchResult fetchResolved(String domain) {
        URI uri = policyUri.apply(domain);
        String host = "mta-sts." + domain;
        java.util.List<java.net.InetAddress> found;
        try {
            found = addresses.of(host);
        } catch (java.net.UnknownHostException e) {
            return new FetchResult.FetchError("cannot fetch " + uri + ": no address for " + host + " (" + e.getMessage() + ")");
        }
        if (found.isEmpty()) return new FetchResult.FetchError("cannot fetch " + uri + ": no address for " + host);
        try {
            dev.doublelock.io.ResolvedHttps.Response r = dev.doublelock.io.ResolvedHttps.get(sslContext, host, port, found,
                    POLICY_PATH, timeout, maxBytes);
            return judge(uri, r.status(), r.header("Location"), r.header("Content-Type"), r.body());
        } catch (dev.doublelock.io.ResolvedHttps.BodyTooLarge e) {
            return new FetchResult.FetchError(uri + ": " + new CappedBody.TooLarge(maxBytes).getMessage());
        } catch (java.net.SocketTimeoutException e) {
            return new FetchResult.FetchError("no complete answer from " + uri + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return failure(uri, e);
        }
    }

    private FetchResult judge(URI uri, HttpResponse<byte[]> response) {
        return judge(uri, response.statusCode(), response.headers().firstValue("Location"),
                response.headers().firstValue("Content-Type"), response.body());
    }

    private FetchResult judge(URI uri, int status, java.util.Optional<String> location, java.util.Optional<String> contentType,
                              byte[] responseBody) {
        if (status >= 300 && status < 400) {
            return new FetchResult.FetchError(uri + " answered " + status + " (redirect to "
                    + location.orElse("?")
                    + "); RFC 8461 §3.3 forbids following redirects: serve the policy at this URL");
        }
        if (status != 200) {
            return new FetchResult.FetchError(uri + " answered HTTP " + status + "; it must answer 200 with the policy");
        }
        String type = contentType.orElse("");
        if (!type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("text/plain")) {
            return new FetchResult.Invalid("policy served as \"" + type + "\"; RFC 8461 §3.2 requires text/plain");
        }
        String body = new String(responseBody, StandardCharsets.UTF_8);
        try {
            return new FetchResult.Ok(StsPolicy.parse(body), body);
        } catch (RecordSyntaxException e) {
            return new FetchResult.Invalid("policy at " + uri + " is invalid: " + e.getMessage());
        }
    }

    private static FetchResult failure(URI uri, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CappedBody.TooLarge tooLarge) {
                return new FetchResult.FetchError(uri + ": " + tooLarge.getMessage());
            }
            if (t instanceof CertificateException || t instanceof javax.net.ssl.SSLHandshakeException
                    && t.getMessage() != null && t.getMessage().contains("certificat")) {
                return new FetchResult.WebPkiInvalid("certificate of " + uri.getHost() + " is not valid: " + rootMessage(t)
                        + "; it needs a publicly trusted certificate for mta-sts.DOMAIN");
            }
        }
        if (cause instanceof SSLException) {
            return new FetchResult.FetchError("TLS with " + uri.getHost() + " failed: " + rootMessage(cause));
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return new FetchResult.FetchError("no answer from " + uri + " in time");
        }
        if (cause instanceof IOException) {
            return new FetchResult.FetchError("cannot fetch " + uri + ": " + rootMessage(cause));
        }
        return new FetchResult.FetchError("cannot fetch " + uri + ": " + cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
