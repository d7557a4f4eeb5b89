package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.policy.SuiteTraits.Trait;
import dev.doublelock.tls.TlsVersion;

/**
 * CIPHER_NOT_RECOMMENDED: an accepted/negotiated suite breaches a rule. A rule either forbids traits
 * ({@code forbiddenTraits}: NO_PFS, SHA1_MAC, RC4, …, see {@link SuiteTraits.Trait}) or lists the allowed
 * suites ({@code listed}, IANA names; {@code listedUntil} gives a last year for some of them, e.g. DHE rows
 * until 2029). Each suite counts once, under the most severe rule it breaches; one finding per protocol
 * version and rule, naming every offending suite and why.
 */
final class CipherNotRecommended implements Check {
    public String type() { return "cipher-suites"; }
    public Set<String> params() { return Set.of("forbiddenTraits", "listed", "listedUntil"); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        if (e.tls().isEmpty() || rules.isEmpty()) return List.of();
        Target t = e.tls().get();
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<TlsVersion, List<String>> entry : t.suitesByVersion().entrySet()) {
            Map<Rule, List<String>> byRule = new LinkedHashMap<>();
            for (String suite : entry.getValue()) {
                SuiteTraits traits = SuiteTraits.of(suite);
                Evaluation.worst(rules, r -> reason(r, traits, e.year()).isPresent())
                        .ifPresent(r -> byRule.computeIfAbsent(r, k -> new ArrayList<>())
                                .add(suite + " (" + reason(r, traits, e.year()).orElseThrow() + ")"));
            }
            byRule.forEach((rule, suites) -> out.add(Evaluation.finding(FindingCode.CIPHER_NOT_RECOMMENDED, rule,
                    t.endpoint(), entry.getKey().displayName() + ": " + String.join(", ", suites),
                    "Remove these cipher suites from the server's list; keep ECDHE with AES-GCM (TLS 1.2) and "
                            + "TLS_AES_128_GCM_SHA256/TLS_AES_256_GCM_SHA384 (TLS 1.3).")));
        }
        return out;
    }

    /** Why {@code rule} rejects the suite, or empty if it does not. */
    static Optional<String> reason(Rule rule, SuiteTraits suite, int year) {
        List<String> forbidden = rule.stringList("forbiddenTraits");
        String hits = forbidden.stream().map(CipherNotRecommended::trait).filter(suite::has)
                .map(Trait::description).collect(Collectors.joining(", "));
        if (!hits.isEmpty()) return Optional.of(hits);
        if (rule.has("listed")) {
            boolean listed = rule.stringList("listed").stream().anyMatch(s -> s.equalsIgnoreCase(suite.name()));
            Integer until = rule.yearMap("listedUntil").get(suite.name());
            if (!listed) return Optional.of("not in the policy's list" + strongHint(suite));
            if (until != null && year > until) return Optional.of("listed only until " + until);
        }
        return Optional.empty();
    }

    private static String strongHint(SuiteTraits s) {
        String kind = s.traits().stream().filter(t -> t == Trait.CHACHA20 || t == Trait.CAMELLIA || t == Trait.ARIA
                || t == Trait.CCM_8).map(Trait::description).collect(Collectors.joining(", "));
        return kind.isEmpty() ? "" : ": " + kind;
    }

    static Trait trait(String name) {
        try {
            return Trait.valueOf(name);
        } catch (IllegalArgumentException ex) {
            throw new PolicyException("unknown cipher-suite trait '" + name + "'; known: "
                    + java.util.Arrays.toString(Trait.values()));
        }
    }
}
