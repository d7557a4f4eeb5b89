package dev.doublelock.finding;

import java.util.Objects;

/**
 * One observed breach (or note) as a value.
 *
 * @param code     stable code, see {@link FindingCode}
 * @param severity FAIL makes the relay refuse; WARN and INFO are reported only
 * @param subject  what it is about: a domain, host, address:port, or "certificate #n of host"
 * @param evidence the observed value, e.g. "notAfter 1970-01-02T00:00:00Z"
 * @param rule     policy id and source section, e.g. "bsi-tr-02102-2 §3.3.1"
 * @param message  plain words for a non-expert, saying how to fix it
 */
public record Finding(FindingCode code, Severity severity, String subject, String evidence, String rule,
                      String message) {
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        subject = subject == null ? "" : subject;
        evidence = evidence == null ? "" : evidence;
        rule = rule == null ? "" : rule;
        message = message == null ? "" : message;
    }

    public Finding withSeverity(Severity newSeverity) {
        return new Finding(code, newSeverity, subject, evidence, rule, message);
    }
}
