package dev.doublelock.policy;

import java.util.List;
import java.util.Optional;

/**
 * A TLS policy as data: named, versioned, citing its source, with rules that carry every threshold. Loaded
 * from JSON by {@link Policies}; judged by {@link PolicyEngine}.
 *
 * @param name    short name used on the command line ("bsi")
 * @param version version of this data file (changes when a number changes)
 * @param title   one line for {@code policy list}
 * @param source  the documents this policy encodes
 * @param mode    ENFORCE, or REPORT_ONLY: every finding is reported, none is FAIL (opportunistic delivery)
 * @param rules   resolved rules (including those inherited via {@code extends})
 * @param extendsPolicy the built-in policy this one was derived from, if any
 */
public record Policy(String name, String version, String title, String source, Mode mode, List<Rule> rules,
                     Optional<String> extendsPolicy) {

    public enum Mode {
        /** FAIL findings make the server non-compliant and the relay refuse. */
        ENFORCE,
        /** Findings are reported, but capped at WARN: nothing is refused. */
        REPORT_ONLY
    }

    public Policy {
        rules = List.copyOf(rules);
    }

    /** The rules of one check type that apply in the compliance year. */
    public List<Rule> rulesFor(String check, int year) {
        return rules.stream().filter(r -> r.check().equals(check) && r.appliesIn(year)).toList();
    }

    public Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
