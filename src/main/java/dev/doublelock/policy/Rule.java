package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.doublelock.finding.Severity;

/**
 * One rule of a policy: which check it parameterises, how bad a breach is, and where the number comes from.
 * Several rules may feed one check (e.g. RSA &lt; 2000 bit FAIL and RSA &lt; 3000 bit WARN); the check reports
 * the most severe rule an item breaches.
 *
 * @param id        stable id, unique in its policy (a policy that extends another replaces a rule by its id)
 * @param check     the check type it parameterises, see {@link Checks}
 * @param severity  severity of a breach
 * @param source    the document section the rule encodes, e.g. "BSI TR-02102-2 (2023-01) §3.2"
 * @param why       plain words shown in findings: why this matters / why only a warning
 * @param fromYear  the rule applies only in compliance years ≥ this
 * @param untilYear the rule applies only in compliance years ≤ this
 * @param params    check-specific thresholds and lists
 */
public record Rule(String id, String check, Severity severity, String source, String why,
                   Optional<Integer> fromYear, Optional<Integer> untilYear, Map<String, Object> params) {

    public Rule {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        why = why == null ? "" : why;
    }

    public boolean appliesIn(int year) {
        return fromYear.map(f -> year >= f).orElse(true) && untilYear.map(u -> year <= u).orElse(true);
    }

    /** What a finding cites: "bsi.protocol.legacy (BSI TR-02102-2 (2023-01) §3.2)". */
    public String reference() {
        return reference(id, source);
    }

    /**
     * The one format of a finding's {@code rule} field, for policy rules and the transport rules from the RFCs
     * alike: {@code ID (SOURCE)}, e.g. {@code bsi.cert.trusted (BSI TR-02102-2 §3.4.2)} or
     * {@code rfc7672.tlsa-mismatch (RFC 7672 §2.2)}.
     */
    public static String reference(String id, String source) {
        return id + " (" + source + ")";
    }

    public boolean has(String param) {
        return params.containsKey(param);
    }

    public Optional<Integer> intParam(String name) {
        Object v = params.get(name);
        if (v == null) return Optional.empty();
        if (v instanceof Number n) return Optional.of(n.intValue());
        throw bad(name, "a whole number", v);
    }

    public boolean boolParam(String name, boolean dflt) {
        Object v = params.get(name);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        throw bad(name, "true or false", v);
    }

    public List<String> stringList(String name) {
        Object v = params.get(name);
        if (v == null) return List.of();
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
            return l.stream().map(String.class::cast).toList();
        }
        throw bad(name, "a list of strings", v);
    }

    /** A map of name → year, e.g. {"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256": 2029}. */
    public Map<String, Integer> yearMap(String name) {
        Object v = params.get(name);
        if (v == null) return Map.of();
        if (v instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x instanceof Number)) {
            Map<String, Integer> out = new LinkedHashMap<>();
            m.forEach((k, y) -> out.put(String.valueOf(k), ((Number) y).intValue()));
            return out;
        }
        throw bad(name, "an object of name → year", v);
    }

    private PolicyException bad(String name, String expected, Object got) {
        return new PolicyException("rule '" + id + "': parameter '" + name + "' must be " + expected + ", got " + got);
    }

    List<String> paramNames() {
        return new ArrayList<>(params.keySet());
    }
}
