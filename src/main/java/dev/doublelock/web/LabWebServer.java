package dev.doublelock.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.doublelock.lab.Lab;
import dev.doublelock.lab.MtaStsPolicyHost;
import dev.doublelock.lab.MtaStsResults;
import dev.doublelock.lab.MtaStsScenario;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.Remedy;
import dev.doublelock.lab.ResultsMatrix;
import dev.doublelock.lab.SenderSessions;
import dev.doublelock.lab.SenderSummary;
import dev.doublelock.lab.SessionKind;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The lab's small web page and JSON API: the profile table (what each endpoint presents, certificate details)
 * and the results as a sender × profile matrix that updates live (the page polls the API).
 * <ul>
 *   <li>{@code GET /} the page</li>
 *   <li>{@code GET /api/profiles} profiles with port, defects, expected findings and certificate details</li>
 *   <li>{@code GET /api/sessions?after=ID} session records with an id above ID</li>
 *   <li>{@code GET /api/mta-sts} the MTA-STS scenarios (domain, MX, policy, expected behaviour), each sender's
 *   pass/fail per scenario and the policy host's last fetches</li>
 *   <li>{@code GET /api/matrix} sender × profile → verdict, one summary sentence per sender and the settings
 *   that would fix what the senders did wrong</li>
 * </ul>
 * Sessions that say nothing about a sender — the checker's probes and bare port checks ({@link SessionKind}) —
 * are left out of the sessions and the matrix unless the query has {@code all=1} (the page's "show probes" box).
 */
public final class LabWebServer implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final HttpServer server;
    private final Lab lab;

    private LabWebServer(HttpServer server, Lab lab) {
        this.server = server;
        this.lab = lab;
    }

    public static LabWebServer start(Lab lab, InetSocketAddress address) throws IOException {
        HttpServer server;
        try {
            dev.doublelock.io.HttpServerTimeouts.apply();
            server = HttpServer.create(address, 64);
        } catch (java.net.BindException e) {
            throw new dev.doublelock.io.ListenerBindException("lab web", address,
                    "choose another --web-port (or -1 to turn the results page off)", e);
        }
        LabWebServer web = new LabWebServer(server, lab);
        server.createContext("/", web::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return web;
    }

    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        return "http://" + host + ":" + a.getPort() + "/";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals(dev.doublelock.lab.TlsRptRua.PATH)) {
                dev.doublelock.lab.TlsReportPost.answer(ex, lab.tlsReports());
                return;
            }
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "only GET (and POST of TLS reports to /tlsrpt)\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (path) {
                case "/" -> send(ex, 200, "text/html; charset=utf-8", page());
                case "/api/profiles" -> sendJson(ex, profiles());
                case "/api/sessions" -> sendJson(ex, SenderSessions.of(lab.records().all(
                        after(ex.getRequestURI().getQuery())), all(ex.getRequestURI().getQuery())).shown());
                case "/api/matrix" -> sendJson(ex, matrix(all(ex.getRequestURI().getQuery())));
                case "/api/mta-sts" -> sendJson(ex, mtaSts(all(ex.getRequestURI().getQuery())));
                case "/api/tls-reports" -> sendJson(ex, dev.doublelock.lab.TlsReportSummary.of(lab.records().tlsReports(),
                        dev.doublelock.lab.ResultsMatrix.of(dev.doublelock.lab.SenderSessions.of(lab.records().all(0), false)
                                .shown()).rows()));
                default -> send(ex, 404, "text/plain", ("no such page: " + path + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            send(ex, 500, "text/plain", ("error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code all=1} (or {@code all=true}, or a bare {@code all}): include probes and port checks. */
    static boolean all(String query) {
        if (query == null) return false;
        for (String kv : query.split("&")) {
            if (kv.equals("all") || kv.equals("all=1") || kv.equals("all=true")) return true;
        }
        return false;
    }

    private static long after(String query) {
        if (query == null) return 0;
        for (String kv : query.split("&")) {
            if (kv.startsWith("after=")) {
                try {
                    return Long.parseLong(kv.substring(6));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    List<Map<String, Object>> profiles() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Lab.Running r : lab.endpoints()) {
            LabProfile p = r.profile();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.profileName());
            row.put("port", r.port());
            row.put("host", r.hostName());
            row.put("defects", p.defects());
            row.put("expected_findings", p.expectedFindings().stream().map(Enum::name).toList());
            row.put("sender_must", p.expectation().words());
            row.put("starttls", p.startTls().name());
            row.put("protocols", p.tls().versions().stream().map(v -> v.displayName()).toList());
            row.put("cipher_suites", p.tls().suites());
            List<Map<String, Object>> chain = new ArrayList<>();
            for (X509Certificate c : lab.pki(r.hostName()).certificate(p.certificate()).chain()) {
                chain.add(describe(c));
            }
            row.put("chain", chain);
            out.add(row);
        }
        return out;
    }

    static Map<String, Object> describe(X509Certificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", c.getSubjectX500Principal().getName());
        m.put("issuer", c.getIssuerX500Principal().getName());
        m.put("not_before", c.getNotBefore().toInstant().toString());
        m.put("not_after", c.getNotAfter().toInstant().toString());
        String key = c.getPublicKey().getAlgorithm();
        if (c.getPublicKey() instanceof RSAKey rsa) key += " " + rsa.getModulus().bitLength() + " bit";
        if (c.getPublicKey() instanceof ECKey ec) key += " " + ec.getParams().getCurve().getField().getFieldSize() + " bit";
        m.put("key", key);
        m.put("signature", c.getSigAlgName());
        return m;
    }

    private Map<String, Object> matrix(boolean all) {
        SenderSessions senders = SenderSessions.of(lab.records().all(0), all);
        List<Map<String, Object>> rows = new ArrayList<>();
        Set<Remedy> needed = EnumSet.noneOf(Remedy.class);
        Map<String, dev.doublelock.lab.SenderSni> sni = dev.doublelock.lab.SenderSni.of(senders.shown());
        for (ResultsMatrix.Row row : ResultsMatrix.of(senders.shown()).rows()) {
            SenderSummary summary = SenderSummary.of(row);
            needed.addAll(summary.remedies());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mail_from_domain", row.mailFromDomain());
            m.put("sender", row.sender());
            m.put("label", row.label());
            m.put("sessions", row.sessions());
            Map<String, String> v = new LinkedHashMap<>();
            row.verdicts().forEach((p, verdict) -> v.put(p.profileName(), verdict.name()));
            m.put("verdicts", v);
            m.put("failed", row.failed().stream().map(LabProfile::profileName).toList());
            List<Map<String, Object>> dane = new ArrayList<>();
            for (dev.doublelock.lab.DaneScenarioResult d : row.dane()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("profile", d.profile().profileName());
                dm.put("sender_must", d.expectation().name());
                dm.put("verdict", d.verdict().map(Enum::name).orElse(null));
                dm.put("result", d.result().name());
                dm.put("line", d.line());
                dane.add(dm);
            }
            m.put("dane", dane);
            m.put("summary", summary.line());
            m.put("remedies", summary.remedies().stream().sorted().map(Enum::name).toList());
            dev.doublelock.lab.SenderSni s = sni.get(row.sender());
            if (s != null) {
                m.put("sends_sni", s.sends().name());
                m.put("sni_names", s.names());
                m.put("sni_line", s.line());
            }
            rows.add(m);
        }
        List<Map<String, Object>> remedies = new ArrayList<>();
        for (Remedy r : needed) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("goal", r.goal());
            m.put("settings", r.settings().stream().map(st -> Map.of("mta", st.mta(), "setting", st.setting())).toList());
            remedies.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profiles", java.util.Arrays.stream(LabProfile.values()).map(LabProfile::profileName).toList());
        out.put("defects", java.util.Arrays.stream(LabProfile.values()).map(LabProfile::shortDefect).toList());
        out.put("sender_must", java.util.Arrays.stream(LabProfile.values()).map(p -> p.expectation().name()).toList());
        out.put("rows", rows);
        out.put("remedies", remedies);
        out.put("hidden", senders.hidden().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue,
                        (a, b) -> a, LinkedHashMap::new)));
        out.put("hidden_note", senders.hiddenNote());
        return out;
    }

    /** The MTA-STS scenarios and the senders' results there (empty lists when the lab runs none). */
    private Map<String, Object> mtaSts(boolean all) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> scenarios = new ArrayList<>();
        org.xbill.DNS.Name zone = lab.dns().map(Lab.RunningDns::origin).orElse(null);
        List<MtaStsResults.Reported> reported = zone == null ? List.of()
                : MtaStsResults.reports(lab.records().tlsReports(), zone);
        for (Lab.RunningScenario r : lab.mtaStsEndpoints()) {
            MtaStsScenario s = r.scenario();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.scenarioName());
            m.put("domain", s.domain(zone).toString(true));
            m.put("mx", s.mxHost(zone).toString(true));
            m.put("port", r.port());
            m.put("mode", s.mode().token());
            m.put("mx_listed", s.mxListed());
            m.put("mx_certificate", s.mxCertificate().name());
            m.put("policy_host_certificate_valid", s.policyHostCertificateValid());
            m.put("expected", s.expectation().words());
            m.put("description", s.description());
            m.put("record", s.record(zone));
            m.put("policy", s.policyText(zone));
            m.put("reported_by", reported.stream().filter(x -> x.scenario() == s).map(x -> {
                Map<String, Object> rep = new LinkedHashMap<>();
                rep.put("organization", x.organization());
                rep.put("policy_type", x.policyType());
                rep.put("successful_sessions", x.successful());
                rep.put("failed_sessions", x.failed());
                rep.put("result_types", x.resultTypes());
                return rep;
            }).toList());
            scenarios.add(m);
        }
        out.put("scenarios", scenarios);
        out.put("policy_host", lab.mtaStsPolicyHost().map(h -> (Object) Map.of("address",
                h.address().getAddress().getHostAddress(), "port", h.address().getPort())).orElse(null));
        out.put("rows", MtaStsResults.of(SenderSessions.of(lab.records().all(0), all).shown()).json());
        List<Map<String, Object>> fetches = new ArrayList<>();
        lab.mtaStsPolicyHost().ifPresent(h -> {
            List<MtaStsPolicyHost.Fetch> all2 = h.fetches();
            for (MtaStsPolicyHost.Fetch f : all2.subList(Math.max(0, all2.size() - 50), all2.size())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", f.at().toString());
                m.put("client", f.clientAddress());
                m.put("host", f.host());
                m.put("path", f.path());
                m.put("scenario", f.scenario().map(MtaStsScenario::scenarioName).orElse(null));
                m.put("status", f.status());
                fetches.add(m);
            }
        });
        out.put("fetches", fetches);
        return out;
    }

    private static byte[] page() throws IOException {
        try (InputStream in = LabWebServer.class.getResourceAsStream("/dev/doublelock/web/lab.html")) {
            if (in == null) throw new IOException("lab.html missing from the jar");
            return in.readAllBytes();
        }
    }

    private static void sendJson(HttpExchange ex, Object value) throws IOException {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        dev.doublelock.io.PageResponse.send(ex, status, type, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
