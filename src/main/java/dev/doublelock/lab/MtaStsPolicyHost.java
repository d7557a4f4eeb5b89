package dev.doublelock.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.doublelock.io.HttpServerTimeouts;
import dev.doublelock.io.ListenerBindException;
import dev.doublelock.io.PageResponse;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.LabPki;
import org.xbill.DNS.Name;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The lab's MTA-STS policy host (RFC 8461 §3.3): one HTTPS listener for every scenario's {@code mta-sts.<domain>},
 * the certificate chosen by SNI ({@link SniKeyManager}) — lab-CA-issued for the name, except for the scenario whose
 * policy host must be invalid (self-signed) — answering {@code GET /.well-known/mta-sts.txt} with the scenario's
 * policy as {@code text/plain}, anything else with 404. The JDK server's request and response bounds apply
 * ({@link HttpServerTimeouts}). It remembers the last {@value #KEPT_FETCHES} fetches, for the page.
 *
 * <p>It is also the lab's HTTPS report endpoint (RFC 8460 §3: https only): for the name {@code tlsrpt.<zone>}
 * ({@link TlsRptRua#httpsHost}, a lab-CA leaf) it answers {@code POST /tlsrpt} with the lab's {@link TlsReportInbox},
 * as the lab web does over plain HTTP ({@link TlsReportPost}); those POSTs are not policy fetches and are not
 * remembered as such.
 */
public final class MtaStsPolicyHost implements AutoCloseable {
    /** The one path a policy is served at. */
    public static final String POLICY_PATH = "/.well-known/mta-sts.txt";
    static final int KEPT_FETCHES = 1000;

    /**
     * One request the policy host answered.
     *
     * @param scenario the scenario whose host was asked for (empty: a name the lab does not serve)
     * @param status   the HTTP status answered
     */
    public record Fetch(Instant at, String clientAddress, String host, String path, Optional<MtaStsScenario> scenario,
                        int status) {
    }

    private final HttpsServer server;
    private final Map<String, MtaStsScenario> byHost;
    private final Name zone;
    private final Clock clock;
    private final String reportHost;
    private final TlsReportInbox reports;
    private final Deque<Fetch> fetches = new ArrayDeque<>();

    private MtaStsPolicyHost(HttpsServer server, Map<String, MtaStsScenario> byHost, Name zone, TlsReportInbox reports,
                             Clock clock) {
        this.server = server;
        this.byHost = byHost;
        this.zone = zone;
        this.clock = clock;
        this.reportHost = TlsRptRua.httpsHost(zone).toString(true).toLowerCase(Locale.ROOT);
        this.reports = reports;
    }

    /**
     * Starts the policy host for every scenario of {@code zone}, its valid certificates issued by {@code pki}, and the
     * report endpoint {@code tlsrpt.<zone>} handing POSTed reports to {@code reports}.
     */
    public static MtaStsPolicyHost start(InetSocketAddress bind, Name zone, LabPki pki, TlsReportInbox reports,
                                         Clock clock) throws IOException {
        Map<String, MtaStsScenario> byHost = new LinkedHashMap<>();
        Map<String, CertifiedKey> keys = new LinkedHashMap<>();
        String reportHost = TlsRptRua.httpsHost(zone).toString(true).toLowerCase(Locale.ROOT);
        keys.put(reportHost, pki.leafFor(reportHost));
        for (MtaStsScenario s : MtaStsScenario.values()) {
            String host = s.policyHost(zone).toString(true).toLowerCase(Locale.ROOT);
            byHost.put(host, s);
            keys.put(host, s.policyHostCertificateValid() ? pki.leafFor(host)
                    : new CertificateBuilder().ecdsa("secp256r1").subject("/CN=" + host).dnsNames(host).build());
        }
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SniKeyManager(keys)}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the MTA-STS policy host's TLS context: " + e, e);
        }
        HttpsServer server;
        try {
            HttpServerTimeouts.apply();
            server = HttpsServer.create(bind, 64);
        } catch (java.net.BindException e) {
            throw new ListenerBindException("lab MTA-STS policy host", bind,
                    "choose another --mta-sts-port (-1 turns the MTA-STS scenarios off)", e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        MtaStsPolicyHost host = new MtaStsPolicyHost(server, Map.copyOf(byHost), zone, reports, clock);
        server.createContext("/", host::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return host;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String host = requestedHost(ex);
            if (host.equals(reportHost)) {
                if (ex.getRequestURI().getRawPath().equals(TlsRptRua.PATH)) {
                    TlsReportPost.answer(ex, reports);
                } else {
                    PageResponse.send(ex, 404, "text/plain", ("POST TLS reports to https://" + reportHost
                            + TlsRptRua.PATH + "\n").getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            Optional<MtaStsScenario> scenario = Optional.ofNullable(byHost.get(host));
            String path = ex.getRequestURI().getRawPath();
            boolean get = ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD");
            int status = !get ? 405 : scenario.isEmpty() || !path.equals(POLICY_PATH) ? 404 : 200;
            // remembered before answering: whoever got the answer finds the fetch recorded
            remember(new Fetch(clock.instant(), ex.getRemoteAddress().getAddress().getHostAddress(), host, path,
                    scenario, status));
            String text = switch (status) {
                case 405 -> "only GET\n";
                case 404 -> "no MTA-STS policy at " + host + path + "\n";
                default -> scenario.orElseThrow().policyText(zone);
            };
            PageResponse.send(ex, status, status == 200 ? "text/plain; charset=utf-8" : "text/plain",
                    text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The Host header's name (without port), else the SNI name. */
    private static String requestedHost(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Host");
        if (header != null && !header.isBlank()) {
            String h = header.trim();
            int colon = h.lastIndexOf(':');
            if (colon > 0 && !h.endsWith("]")) h = h.substring(0, colon);
            return h.toLowerCase(Locale.ROOT);
        }
        if (ex instanceof HttpsExchange https && https.getSSLSession() instanceof ExtendedSSLSession s) {
            return s.getRequestedServerNames().stream().filter(n -> n instanceof SNIHostName)
                    .map(n -> ((SNIHostName) n).getAsciiName().toLowerCase(Locale.ROOT)).findFirst().orElse("");
        }
        return "";
    }

    private synchronized void remember(Fetch fetch) {
        if (fetches.size() == KEPT_FETCHES) fetches.removeFirst();
        fetches.addLast(fetch);
    }

    /** The requests answered so far, oldest first (at most {@value #KEPT_FETCHES}). */
    public synchronized List<Fetch> fetches() {
        return List.copyOf(fetches);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
