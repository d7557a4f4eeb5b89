package dev.doublelock.check;

import dev.doublelock.policy.transport.TransportVerdict;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;
import dev.doublelock.tls.ChainAssessment;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.TlsVersion;

/**
 * The machine-readable report: one JSON object per target, the shape documented (and tested) in
 * {@code docs/check-json-schema.json}. Field names are snake_case and are public API: only add.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonReport() {
    }

    /** One line of JSON (JSON Lines), no trailing newline. */
    public static String line(CheckReport r) {
        try {
            return MAPPER.writeValueAsString(tree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The line for an input that is not a target (unparseable, too long): verdict INCOMPLETE — nothing could be
     * checked — with {@code input_error} saying why, so a JSONL consumer sees one line for every input.
     */
    public static String rejectedLine(String input, String reason, String policy) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("target", input);
        o.put("policy", policy);
        o.put("verdict", "INCOMPLETE");
        o.put("incomplete", true);
        o.put("checked_at", java.time.Instant.now().toString());
        o.putArray("hosts");
        o.putNull("domain");
        o.put("input_error", reason);
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static ObjectNode tree(CheckReport r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("target", r.target());
        o.put("policy", r.policy());
        o.put("verdict", r.verdict().name());
        o.put("incomplete", r.incomplete());
        o.put("checked_at", r.checkedAt().toString());
        ArrayNode hosts = o.putArray("hosts");
        r.hosts().forEach(h -> hosts.add(host(h)));
        if (r.domain().isPresent()) {
            o.set("domain", domain(r.domain().get(), r.domainFindings()));
        } else {
            o.putNull("domain");
        }
        return o;
    }

    private static ObjectNode host(HostReport h) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", h.name());
        if (h.address().isPresent()) o.put("address", h.address().get()); else o.putNull("address");
        o.put("port", h.port());
        if (h.probedAs().isPresent()) o.put("probed_as", h.probedAs().get()); else o.putNull("probed_as");
        ServerObservation obs = h.observation().orElse(null);
        o.put("starttls", obs == null ? "UNREACHABLE" : obs.startTls().status().name());
        o.put("starttls_detail", obs == null ? "" : obs.startTls().detail());
        ArrayNode protocols = o.putArray("protocols");
        ObjectNode suites = o.putObject("suites");
        ArrayNode groups = o.putArray("groups");
        if (obs != null) {
            for (Map.Entry<TlsVersion, List<String>> e : obs.acceptedSuites().entrySet()) {
                protocols.add(e.getKey().displayName());
                ArrayNode s = suites.putArray(e.getKey().displayName());
                e.getValue().forEach(s::add);
            }
            obs.acceptedGroups().stream().sorted().forEach(groups::add);
        }
        observedFacts(o, obs);
        ArrayNode chain = o.putArray("chain");
        h.chain().ifPresent(c -> c.certificates().forEach(f -> chain.add(certificate(f))));
        if (h.chain().isPresent()) o.set("trust", trust(h.chain().get())); else o.putNull("trust");
        ArrayNode untested = o.putArray("untested");
        if (obs != null) obs.untested().forEach(untested::add);
        o.set("findings", findings(h.findings()));
        if (h.relay().isPresent()) o.set("relay", relay(h.relay().get())); else o.putNull("relay");
        return o;
    }

    /**
     * The handshake facts the prober records besides versions, suites and groups: null where not observed (no
     * probe got that far, or the fact does not apply, e.g. EMS without TLS 1.2), so "false" always means "seen
     * and not there".
     */
    private static void observedFacts(ObjectNode o, ServerObservation obs) {
        if (obs == null) {
            for (String k : List.of("dh_min_bits", "compression", "heartbeat", "extended_master_secret",
                    "encrypt_then_mac", "secure_renegotiation", "certificate_message", "session_tickets", "ocsp_stapling",
                    "ocsp_staple", "session_resumption")) {
                o.putNull(k);
            }
            o.putObject("vulnerabilities");
            o.putObject("server_cipher_order");
            return;
        }
        if (obs.minDhBits().isPresent()) o.put("dh_min_bits", obs.minDhBits().get()); else o.putNull("dh_min_bits");
        flag(o, "compression", obs.compression());
        flag(o, "heartbeat", obs.heartbeat());
        flag(o, "extended_master_secret", obs.extendedMasterSecret());
        flag(o, "encrypt_then_mac", obs.encryptThenMac());
        flag(o, "secure_renegotiation", obs.secureRenegotiation());
        ObjectNode order = o.putObject("server_cipher_order");
        new java.util.TreeMap<>(obs.serverOrderEnforced()).forEach((v, enforced) -> order.put(v.displayName(), enforced));
        o.putObject("certificate_message").put("kind", obs.certificateMessage().kind().name())
                .put("detail", obs.certificateMessage().detail());
        flag(o, "session_tickets", obs.sessionTickets());
        flag(o, "ocsp_stapling", obs.ocspStapling());
        if (obs.ocspStaple().isPresent()) o.set("ocsp_staple", staple(obs.ocspStaple().get())); else o.putNull("ocsp_staple");
        ObjectNode resumption = o.putObject("session_resumption");
        flag(resumption, "session_id", obs.resumption().bySessionId());
        flag(resumption, "ticket", obs.resumption().byTicket());
        resumption.put("detail", obs.resumption().detail());
        ObjectNode vulnerabilities = o.putObject("vulnerabilities");
        obs.vulnerabilities().forEach((v, x) -> vulnerabilities.putObject(v.key())
                .put("status", x.status().name()).put("evidence", x.evidence()).put("reference", v.reference()));
    }

    private static ObjectNode staple(dev.doublelock.tls.OcspStaple s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("response_status", s.responseStatus().name());
        o.put("cert_status", s.certStatus().map(Enum::name).orElse(null));
        o.put("revocation_time", s.revocationTime().map(Object::toString).orElse(null));
        o.put("revocation_reason", s.revocationReason().orElse(null));
        o.put("this_update", s.thisUpdate().map(Object::toString).orElse(null));
        o.put("next_update", s.nextUpdate().map(Object::toString).orElse(null));
        o.put("produced_at", s.producedAt().map(Object::toString).orElse(null));
        o.put("for_leaf", s.forLeaf());
        o.put("signer", s.signer().name());
        o.put("detail", s.detail());
        return o;
    }

    private static void flag(ObjectNode o, String name, java.util.Optional<Boolean> value) {
        if (value.isPresent()) o.put(name, value.get()); else o.putNull(name);
    }

    /** What the relay would do with this host under the same policy: the transport decision's forecast. */
    private static ObjectNode relay(TransportVerdict v) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("action", v.action().token());
        r.put("mechanism", v.requirement().mechanism().token());
        r.put("tls_mandatory", v.requirement().tlsMandatory());
        r.put("authenticated_by", v.authenticatedBy().token());
        ArrayNode codes = r.putArray("refused_for");
        if (v.action() != dev.doublelock.policy.transport.Action.DELIVER) v.failCodes().forEach(c -> codes.add(c.name()));
        r.put("summary", v.summary());
        r.put("tlsrpt_policy_type", v.requirement().report().type().token());
        return r;
    }

    private static ObjectNode certificate(CertificateFacts f) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("index", f.index());
        c.put("subject", f.subject());
        c.put("issuer", f.issuer());
        c.put("not_before", f.notBefore().toString());
        c.put("not_after", f.notAfter().toString());
        c.put("key", f.keyDescription());
        c.put("signature_algorithm", f.signatureAlgorithm());
        c.put("self_signed", f.selfSigned());
        ArrayNode names = c.putArray("dns_names");
        f.dnsNames().forEach(names::add);
        c.put("sha256", f.sha256Fingerprint());
        ArrayNode ku = c.putArray("key_usage");
        f.keyUsage().forEach(ku::add);
        ArrayNode eku = c.putArray("extended_key_usage");
        f.extendedKeyUsage().forEach(eku::add);
        c.put("crl_distribution_points", f.crlDistributionPoints());
        c.put("ocsp_url", f.ocspUrl());
        c.put("embedded_scts", f.embeddedScts());
        return c;
    }

    private static ObjectNode trust(ChainAssessment a) {
        ObjectNode t = MAPPER.createObjectNode();
        t.put("status", a.trust().name());
        t.put("detail", a.trustDetail());
        t.put("name_matches", a.nameMatches());
        t.put("reference_name", a.referenceName());
        return t;
    }

    private static ObjectNode domain(DomainReport d, List<Finding> findings) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", d.domain());
        o.put("mx_status", d.mxStatus());
        ArrayNode mx = o.putArray("mx");
        d.mx().forEach(m -> mx.addObject().put("host", m.host()).put("preference", m.preference()).put("implicit", m.implicit()));
        o.put("dnssec", d.dnssec());
        ArrayNode dane = o.putArray("dane");
        d.dane().forEach(x -> dane.addObject().put("host", x.host()).put("status", x.status()).put("detail", x.detail()));
        ObjectNode sts = o.putObject("mta_sts");
        sts.put("status", d.mtaSts());
        ArrayNode patterns = sts.putArray("mx");
        d.mtaStsMx().forEach(patterns::add);
        if (d.tlsRpt().isPresent()) {
            ArrayNode rua = o.putObject("tlsrpt").putArray("rua");
            d.tlsRpt().get().forEach(rua::add);
        } else {
            o.putNull("tlsrpt");
        }
        ArrayNode notes = o.putArray("notes");
        d.notes().forEach(notes::add);
        o.set("findings", findings(findings));
        return o;
    }

    private static ArrayNode findings(List<Finding> findings) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Finding f : findings) {
            ObjectNode o = a.addObject();
            o.put("code", f.code().name());
            o.put("severity", f.severity().name());
            o.put("subject", f.subject());
            o.put("evidence", f.evidence());
            o.put("rule", f.rule());
            o.put("message", f.message());
            String tlsrpt = tlsRpt(f);
            if (tlsrpt == null) o.putNull("tlsrpt"); else o.put("tlsrpt", tlsrpt);
        }
        return a;
    }

    /** The RFC 8460 result type; an unfetchable MTA-STS policy is a fetch error, not an invalid policy. */
    static String tlsRpt(Finding f) {
        if (f.code() == FindingCode.MTA_STS_INVALID && f.evidence().startsWith("sts-policy-fetch-error")) {
            return "sts-policy-fetch-error";
        }
        return f.code().tlsRptResult().orElse(null);
    }
}
