package dev.doublelock.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

import dev.doublelock.finding.Finding;
import dev.doublelock.tls.CertificateFacts;

/**
 * One self-contained HTML page (inline CSS, no scripts, no external assets) for people who do not read JSON.
 * Written as a stream — {@link #begin()}, one {@link #section} per target as it finishes, {@link #end()} — so a
 * batch never holds all reports. Every value from the network or DNS is escaped.
 */
public final class HtmlReport {
    private final Writer out;

    public HtmlReport(Writer out) {
        this.out = out;
    }

    public void begin() {
        write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                + "<title>doublelock check</title><style>"
                + "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
                + ".COMPLIANT{color:#176b1f}.NON_COMPLIANT{color:#b00020}.INCOMPLETE{color:#a35d00}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}"
                + ".FAIL{background:#fde0e0}.WARN{background:#fff4d6}.INFO{background:#eef}"
                + "</style></head><body><h1>doublelock check</h1>\n");
    }

    public void section(CheckReport r) {
        StringBuilder b = new StringBuilder();
        b.append("<section><h2>").append(esc(r.target())).append(": <span class=\"").append(r.verdict().name()).append("\">")
                .append(r.verdict().name()).append("</span></h2>\n<p>Policy ").append(esc(r.policy())).append(", checked ")
                .append(esc(r.checkedAt().toString())).append("</p>\n");
        r.domain().ifPresent(d -> {
            b.append("<p>MX: ");
            d.mx().forEach(m -> b.append(m.preference()).append(' ').append(esc(m.host())).append("; "));
            b.append(d.mx().isEmpty() ? esc(d.mxStatus()) : "").append(d.dnssec() ? " (DNSSEC-signed)" : " (not DNSSEC-signed)")
                    .append("<br>MTA-STS: ").append(esc(d.mtaSts())).append("<br>TLS-RPT: ")
                    .append(esc(d.tlsRpt().map(Object::toString).orElse("none"))).append("</p>\n");
            d.dane().forEach(x -> b.append("<p>DANE ").append(esc(x.host())).append(": ").append(esc(x.status()))
                    .append(" — ").append(esc(x.detail())).append("</p>\n"));
            d.notes().forEach(n -> b.append("<p>").append(esc(n)).append("</p>\n"));
        });
        findings(b, r.domainFindings());
        for (HostReport h : r.hosts()) {
            b.append("<h3>").append(esc(h.label())).append("</h3>\n");
            h.observation().ifPresent(o -> {
                b.append("<p>STARTTLS: ").append(esc(o.startTls().status().name())).append(' ').append(esc(o.startTls().detail()))
                        .append("<br>Protocols: ");
                o.acceptedSuites().forEach((v, s) -> b.append(esc(v.displayName())).append(" (").append(s.size()).append(" suites) "));
                b.append("<br>Groups: ").append(esc(String.join(", ", o.acceptedGroups().stream().sorted().toList()))).append("</p>\n");
            });
            h.chain().ifPresent(c -> {
                b.append("<p>Certificate chain: ").append(esc(c.trust().name())).append(" — ").append(esc(c.trustDetail())).append("</p><ul>");
                for (CertificateFacts f : c.certificates()) {
                    b.append("<li>").append(esc(f.label())).append(", ").append(esc(f.keyDescription())).append(", ")
                            .append(esc(f.signatureAlgorithm())).append(", valid until ").append(esc(f.notAfter().toString())).append("</li>");
                }
                b.append("</ul>\n");
            });
            findings(b, h.findings());
            h.relay().ifPresent(v -> b.append("<p class=\"relay\">relay: ").append(esc(v.summary())).append(" (")
                    .append(esc(v.requirement().mechanism().token())).append(", policy ")
                    .append(esc(v.requirement().policy())).append(")</p>\n"));
        }
        write(b.append("</section>\n").toString());
    }

    public void end() {
        write("</body></html>\n");
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTML report: " + e.getMessage(), e);
        }
    }

    private static void findings(StringBuilder b, List<Finding> findings) {
        if (findings.isEmpty()) return;
        b.append("<table><tr><th>Severity</th><th>Finding</th><th>Seen</th><th>How to fix</th><th>Rule</th></tr>\n");
        for (Finding f : findings) {
            b.append("<tr class=\"").append(f.severity().name()).append("\"><td>").append(f.severity().name()).append("</td><td>")
                    .append(f.code().name()).append("<br><small>").append(esc(f.subject())).append("</small></td><td>")
                    .append(esc(f.evidence())).append("</td><td>").append(esc(f.message())).append("</td><td>")
                    .append(esc(f.rule())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append("&#xFFFD;"); else b.append(c);
                }
            }
        }
        return b.toString();
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTML report: " + e.getMessage(), e);
        }
    }
}
