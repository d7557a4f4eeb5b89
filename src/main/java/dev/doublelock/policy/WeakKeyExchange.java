package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;

/**
 * WEAK_KEY_EXCHANGE: an accepted/negotiated key-exchange group is too small ({@code ecMinBits} for elliptic
 * curves incl. x25519/x448 and hybrids, {@code dhMinBits} for finite-field groups and the smallest custom DHE
 * group seen) or not on the policy's {@code listed} groups. One finding per group, most severe rule.
 */
final class WeakKeyExchange implements Check {
    public String type() { return "key-exchange"; }
    public Set<String> params() { return Set.of("ecMinBits", "dhMinBits", "listed"); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        if (e.tls().isEmpty() || rules.isEmpty()) return List.of();
        Target t = e.tls().get();
        List<Finding> out = new ArrayList<>();
        for (String group : new TreeSet<>(t.groups())) {
            Optional<GroupTraits> g = GroupTraits.of(group);
            Evaluation.worst(rules, r -> reason(r, group, g).isPresent()).ifPresent(rule -> out.add(
                    Evaluation.finding(FindingCode.WEAK_KEY_EXCHANGE, rule, t.endpoint(),
                            g.map(GroupTraits::describe).orElse(group) + ": " + reason(rule, group, g).orElseThrow(),
                            "Restrict the server's key-exchange groups to secp256r1, secp384r1, secp521r1 or "
                                    + "brainpool curves, and ffdhe3072/ffdhe4096 for DHE.")));
        }
        t.minDhBits().ifPresent(bits -> Evaluation.worst(rules,
                        r -> r.intParam("dhMinBits").map(min -> bits < min).orElse(false))
                .ifPresent(rule -> out.add(Evaluation.finding(FindingCode.WEAK_KEY_EXCHANGE, rule, t.endpoint(),
                        "DHE group of " + bits + " bit (minimum " + rule.intParam("dhMinBits").orElseThrow() + ")",
                        "Use DH parameters of at least " + rule.intParam("dhMinBits").orElseThrow()
                                + " bit (ffdhe3072) or disable DHE suites in favour of ECDHE."))));
        return out;
    }

    static Optional<String> reason(Rule rule, String name, Optional<GroupTraits> g) {
        if (g.isPresent()) {
            GroupTraits gt = g.get();
            String param = gt.kind() == GroupTraits.Kind.FFDHE ? "dhMinBits" : "ecMinBits";
            Optional<Integer> min = rule.intParam(param);
            if (min.isPresent() && gt.bits() < min.get()) {
                return Optional.of("below " + min.get() + " bit");
            }
        }
        if (rule.has("listed") && rule.stringList("listed").stream().noneMatch(s -> s.equalsIgnoreCase(name))) {
            return Optional.of("not in the policy's list of groups");
        }
        return Optional.empty();
    }
}
