package dev.doublelock.check;

import dev.doublelock.policy.transport.Action;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Verdict;
import dev.doublelock.tls.CertificateFacts;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.TlsVersion;

/**
 * The report for people: the verdict first, then per MX host (or endpoint) what was seen and each finding with
 * its evidence and how to fix it. ANSI colour only when asked for (the CLI asks on a terminal without NO_COLOR).
 */
public final class TextReport {
    private final boolean colour;

    public TextReport(boolean colour) {
        this.colour = colour;
    }

    /** Whether colour suits this process: a console, and no NO_COLOR in the environment (no-color.org). */
    public static boolean colourWanted() {
        String noColor = System.getenv("NO_COLOR");
        return System.console() != null && (noColor == null || noColor.isEmpty());
    }

    public String render(CheckReport r) {
        StringBuilder b = new StringBuilder();
        b.append(paint(verdictColour(r.verdict()), r.target() + ": " + verdictWords(r.verdict()))).append('\n');
        b.append("  policy ").append(r.policy()).append(", checked ").append(r.checkedAt()).append('\n');
        r.domain().ifPresent(d -> domain(b, d));
        findings(b, r.domainFindings(), "  ");
        for (HostReport h : r.hosts()) {
            host(b, h);
        }
        return b.toString();
    }

    private void domain(StringBuilder b, DomainReport d) {
        b.append("  MX: ").append(d.mx().isEmpty() ? "(" + d.mxStatus() + ")" : d.mx().stream()
                .map(m -> m.preference() + " " + m.host()).collect(Collectors.joining(", ")))
                .append(d.dnssec() ? "  [DNSSEC-signed]" : "  [not DNSSEC-signed]").append('\n');
        d.dane().forEach(x -> b.append("  DANE ").append(x.host()).append(": ").append(x.status())
                .append(" (").append(x.detail()).append(")\n"));
        b.append("  MTA-STS: ").append(d.mtaSts()).append(d.mtaStsMx().isEmpty() ? "" : " mx " + d.mtaStsMx())
                .append(";  TLS-RPT: ").append(d.tlsRpt().map(Object::toString).orElse("none")).append('\n');
        d.notes().forEach(n -> b.append("  note: ").append(n).append('\n'));
    }

    private void host(StringBuilder b, HostReport h) {
        long fails = h.findings().stream().filter(f -> f.severity() == Severity.FAIL).count();
        b.append('\n').append(paint(fails > 0 ? RED : GREEN, h.label())).append('\n');
        h.probedAs().ifPresent(first -> b.append("    (same address as ").append(first)
                .append(": probed once, as that name; judged here for this one)\n"));
        h.observation().ifPresent(o -> observed(b, o));
        h.chain().ifPresent(c -> {
            b.append("    chain: ").append(c.trust()).append(" — ").append(c.trustDetail())
                    .append(c.nameMatches() ? "; names " : "; does not name ").append(c.referenceName()).append('\n');
            for (CertificateFacts f : c.certificates()) {
                b.append("      #").append(f.index()).append(' ').append(f.label()).append(", ").append(f.keyDescription())
                        .append(", ").append(f.signatureAlgorithm()).append(", until ").append(f.notAfter()).append('\n');
            }
        });
        if (h.findings().isEmpty()) {
            b.append("    ").append(paint(GREEN, "no findings")).append('\n');
        }
        findings(b, h.findings(), "    ");
        h.relay().ifPresent(v -> b.append("    relay: ").append(paint(v.action() == Action.DELIVER ? GREEN : RED,
                v.summary())).append(" (").append(v.requirement().mechanism().token()).append(", policy ")
                .append(v.requirement().policy()).append(")\n"));
    }

    private void observed(StringBuilder b, ServerObservation o) {
        b.append("    STARTTLS: ").append(o.startTls().status())
                .append(o.startTls().detail().isEmpty() ? "" : " (" + o.startTls().detail() + ")").append('\n');
        for (Map.Entry<TlsVersion, List<String>> e : o.acceptedSuites().entrySet()) {
            b.append("    ").append(e.getKey().displayName()).append(": ").append(String.join(", ", e.getValue())).append('\n');
        }
        if (!o.acceptedGroups().isEmpty()) {
            b.append("    groups: ").append(o.acceptedGroups().stream().sorted().collect(Collectors.joining(", ")))
                    .append(o.minDhBits().map(bits -> "; DHE " + bits + " bit").orElse("")).append('\n');
        }
        b.append("    handshake: ").append(handshakeFacts(o)).append('\n');
        b.append("    vulnerabilities: ").append(vulnerabilityFacts(o)).append('\n');
    }

    /** One line: each vulnerability probe's result ("not tested" where the probe could not finish). */
    static String vulnerabilityFacts(ServerObservation o) {
        return java.util.Arrays.stream(dev.doublelock.tls.Vulnerability.values())
                .filter(v -> v != dev.doublelock.tls.Vulnerability.STARTTLS_INJECTION || o.vulnerabilities().containsKey(v))
                .map(v -> v.label() + ": " + java.util.Optional.ofNullable(o.vulnerabilities().get(v))
                        .map(x -> switch (x.status()) {
                            case VULNERABLE -> "VULNERABLE";
                            case NOT_VULNERABLE -> "not vulnerable";
                            case NOT_APPLICABLE -> "n/a";
                        }).orElse("not tested"))
                .collect(Collectors.joining("; "));
    }

    /**
     * One line of the handshake facts besides suites and groups, the same for the text and the HTML report: each
     * "yes"/"no" as observed, "?" where not observed.
     */
    static String handshakeFacts(ServerObservation o) {
        StringBuilder s = new StringBuilder();
        s.append("DH ").append(o.minDhBits().map(bits -> bits + " bit").orElse("?"));
        s.append("; compression ").append(yesNo(o.compression()));
        s.append("; heartbeat ").append(yesNo(o.heartbeat()));
        s.append("; extended master secret ").append(yesNo(o.extendedMasterSecret()));
        s.append("; encrypt-then-MAC ").append(yesNo(o.encryptThenMac()));
        s.append("; secure renegotiation ").append(yesNo(o.secureRenegotiation()));
        s.append("; server cipher order ").append(o.serverOrderEnforced().isEmpty() ? "?"
                : new java.util.TreeMap<>(o.serverOrderEnforced()).entrySet().stream()
                .map(e -> e.getKey().displayName() + " " + (e.getValue() ? "yes" : "no")).collect(Collectors.joining(", ")));
        s.append("; certificate message ").append(o.certificateMessage().kind());
        s.append("; session tickets ").append(yesNo(o.sessionTickets()));
        s.append("; OCSP stapling ").append(yesNo(o.ocspStapling()));
        o.ocspStaple().ifPresent(x -> s.append(" (staple: ").append(x.summary()).append(')'));
        s.append("; resumption ID ").append(yesNo(o.resumption().bySessionId()))
                .append(", ticket ").append(yesNo(o.resumption().byTicket()));
        return s.toString();
    }

    private static String yesNo(java.util.Optional<Boolean> v) {
        return v.map(b -> b ? "yes" : "no").orElse("?");
    }

    private void findings(StringBuilder b, List<Finding> findings, String indent) {
        for (Finding f : findings) {
            String colourCode = switch (f.severity()) {
                case FAIL -> RED;
                case WARN -> YELLOW;
                case INFO -> "";
            };
            b.append(indent).append(paint(colourCode, f.severity() + " " + f.code())).append("  ").append(f.subject()).append('\n');
            if (!f.evidence().isEmpty()) b.append(indent).append("  seen: ").append(f.evidence()).append('\n');
            if (!f.message().isEmpty()) b.append(indent).append("  fix:  ").append(f.message()).append('\n');
            if (!f.rule().isEmpty()) b.append(indent).append("  rule: ").append(f.rule()).append('\n');
        }
    }

    private static String verdictWords(Verdict v) {
        return switch (v) {
            case COMPLIANT -> "COMPLIANT";
            case NON_COMPLIANT -> "NON_COMPLIANT (findings of severity FAIL)";
            case INCOMPLETE -> "INCOMPLETE (something could not be checked)";
        };
    }

    private static String verdictColour(Verdict v) {
        return switch (v) {
            case COMPLIANT -> GREEN;
            case NON_COMPLIANT -> RED;
            case INCOMPLETE -> YELLOW;
        };
    }

    private static final String RED = "\u001b[1;31m";
    private static final String GREEN = "\u001b[1;32m";
    private static final String YELLOW = "\u001b[1;33m";

    private String paint(String code, String text) {
        return colour && !code.isEmpty() ? code + text + "\u001b[0m" : text;
    }
}
