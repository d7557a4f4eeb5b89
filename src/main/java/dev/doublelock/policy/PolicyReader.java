package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.doublelock.finding.Severity;
import dev.doublelock.tls.TlsVersion;

/**
 * Parses one policy JSON document and checks it thoroughly, so a typo in an edited policy is an error naming
 * the file, the rule and the problem, never a silently ignored rule. Inheritance is resolved by {@link Policies}.
 */
final class PolicyReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("name", "version", "title", "source", "mode", "extends", "notes", "rules");
    private static final Set<String> RULE = Set.of("id", "check", "severity", "source", "why", "fromYear", "untilYear", "params");

    private PolicyReader() {
    }

    /** @param origin what to call the document in errors: a file path or "built-in policy 'bsi'" */
    static Policy parse(String text, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PolicyException(origin + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException(origin + ": a policy must be a JSON object with name, version, title, source and rules");
        }
        unknownKeys(root, TOP, origin, "top level");
        String name = text(root, "name", origin, true);
        Optional<String> ext = Optional.ofNullable(text(root, "extends", origin, false));
        Policy.Mode mode = mode(root, origin);
        List<Rule> rules = new ArrayList<>();
        JsonNode rulesNode = root.get("rules");
        if (rulesNode != null && !rulesNode.isArray()) throw new PolicyException(origin + ": 'rules' must be a list");
        Set<String> ids = new HashSet<>();
        if (rulesNode != null) {
            int n = 0;
            for (JsonNode r : rulesNode) {
                Rule rule = rule(r, origin + ", rule #" + (++n));
                if (!ids.add(rule.id())) throw new PolicyException(origin + ": rule id '" + rule.id() + "' is used twice");
                rules.add(rule);
            }
        }
        if (rules.isEmpty() && ext.isEmpty()) throw new PolicyException(origin + ": has no rules and extends no policy");
        return new Policy(name, text(root, "version", origin, true), text(root, "title", origin, true),
                text(root, "source", origin, true), mode, rules, ext);
    }

    private static Policy.Mode mode(JsonNode root, String origin) {
        String m = text(root, "mode", origin, false);
        if (m == null) return Policy.Mode.ENFORCE;
        try {
            return Policy.Mode.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(origin + ": mode '" + m + "' is unknown; use ENFORCE or REPORT_ONLY");
        }
    }

    private static Rule rule(JsonNode r, String where) {
        if (!r.isObject()) throw new PolicyException(where + ": a rule must be an object");
        String id = text(r, "id", where, true);
        String at = where + " ('" + id + "')";
        unknownKeys(r, RULE, at, "rule");
        String checkType = text(r, "check", at, true);
        Check check = Checks.byType(checkType).orElseThrow(() -> new PolicyException(at + ": unknown check '"
                + checkType + "'; known checks: " + String.join(", ", Checks.types())));
        String sev = text(r, "severity", at, true);
        Severity severity;
        try {
            severity = Severity.valueOf(sev.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(at + ": severity '" + sev + "' is unknown; use FAIL, WARN or INFO");
        }
        String source = text(r, "source", at, true);
        if (source.isBlank()) throw new PolicyException(at + ": 'source' must name the document section the rule encodes");
        JsonNode p = r.get("params");
        if (p != null && !p.isObject()) throw new PolicyException(at + ": 'params' must be an object");
        @SuppressWarnings("unchecked")
        Map<String, Object> params = p == null ? Map.of() : JSON.convertValue(p, Map.class);
        for (String key : params.keySet()) {
            if (!check.params().contains(key)) {
                throw new PolicyException(at + ": parameter '" + key + "' is not used by check '" + checkType
                        + "'; it takes: " + (check.params().isEmpty() ? "no parameters" : String.join(", ", check.params())));
            }
        }
        Rule rule = new Rule(id, checkType, severity, source, text(r, "why", at, false),
                year(r, "fromYear", at), year(r, "untilYear", at), params);
        validateValues(rule, at);
        return rule;
    }

    private static void validateValues(Rule rule, String at) {
        try {
            for (String key : rule.paramNames()) {
                switch (key) {
                    case "notRecommended", "recommended" -> rule.stringList(key).forEach(TlsVersion::forJavaName);
                    case "forbiddenTraits" -> rule.stringList(key).forEach(CipherNotRecommended::trait);
                    case "listedUntil" -> rule.yearMap(key);
                    case "cnFallback" -> rule.boolParam(key, true);
                    case "ecMinBits", "dhMinBits", "rsaMinBits", "dsaMinBits" -> rule.intParam(key);
                    default -> rule.stringList(key);
                }
            }
        } catch (PolicyException | IllegalArgumentException e) {
            throw new PolicyException(at + ": " + e.getMessage());
        }
    }

    private static Optional<Integer> year(JsonNode r, String field, String at) {
        JsonNode n = r.get(field);
        if (n == null || n.isNull()) return Optional.empty();
        if (!n.canConvertToInt()) throw new PolicyException(at + ": '" + field + "' must be a year like 2030");
        return Optional.of(n.intValue());
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            if (required) throw new PolicyException(where + ": missing '" + field + "'");
            return null;
        }
        if (!n.isTextual()) throw new PolicyException(where + ": '" + field + "' must be a string");
        return n.asText();
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String where, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new PolicyException(where + ": unknown " + what + " field '" + k + "'; allowed: " + String.join(", ", allowed));
            }
        }
    }
}
