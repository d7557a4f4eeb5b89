package dev.doublelock.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

import dev.doublelock.finding.Finding;
import dev.doublelock.tls.CertificateFacts;

/**
 * One self-contained HTML page (inline CSS, no scripts, no external assets) for people who do not read JSON.
 * Fed as targets finish — {@link #begin()}, one {@link #section(long, CheckReport)} per target (or
 * {@link #skipped} for a line that is not a target), {@link #end()} — it writes the page at the end: with several
 * targets a summary table first, then one section per target, both in input order (the index given), whatever
 * order the checks finished in. It keeps only each target's rendered HTML (a few KB), never the reports.
 * The layout fits 1280 px and an A4 page: tables have fixed layouts and long values (cipher lists, names,
 * evidence) wrap anywhere. Every value from the network or DNS is escaped.
 */
public final class HtmlReport {
    private final Writer out;
    private final java.util.TreeMap<Long, Entry> entries = new java.util.TreeMap<>();
    private long nextIndex;

    /** One target's summary row and its section. */
    private record Entry(String summaryRow, String section) {
    }

    public HtmlReport(Writer out) {
        this.out = out;
    }

    public void begin() {
        write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>doublelock check</title><style>"
                + "*,*::before,*::after{box-sizing:border-box}"
                + "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;overflow-wrap:anywhere}"
                + ".COMPLIANT{color:#176b1f}.NON_COMPLIANT{color:#b00020}.INCOMPLETE{color:#a35d00}"
                + "table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.5em 0}"
                + "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}"
                + "col.sev{width:5.5em}col.code{width:13em}col.rule{width:9em}col.num{width:3em}col.verdict{width:10em}col.fails{width:35%}"
                + ".FAIL{background:#fde0e0}.WARN{background:#fff4d6}.INFO{background:#eef}"
                + "@page{size:A4;margin:12mm}@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
                + "section{break-before:page}tr{break-inside:avoid}}"
                + "</style></head><body><h1>doublelock check</h1>\n");
    }

    /** Adds a target's report after the last one given (arrival order). */
    public void section(CheckReport r) {
        section(nextIndex, r);
    }

    /** Adds a target's report at its position {@code index} in the input (0-based). */
    public synchronized void section(long index, CheckReport r) {
        nextIndex = Math.max(nextIndex, index + 1);
        String anchor = "t" + (index + 1);
        String fails = String.join(", ", r.allFindings().stream()
                .filter(f -> f.severity() == dev.doublelock.finding.Severity.FAIL)
                .map(f -> f.code().name()).distinct().toList());
        StringBuilder relay = new StringBuilder();
        for (HostReport h : r.hosts()) {
            h.relay().ifPresent(v -> relay.append(relay.isEmpty() ? "" : "<br>").append(esc(h.name())).append(": ")
                    .append(breakable(esc(v.summary()))));
        }
        String row = "<tr><td>" + (index + 1) + "</td><td><a href=\"#" + anchor + "\">" + esc(r.target()) + "</a></td><td class=\""
                + r.verdict().name() + "\">" + r.verdict().name() + "</td><td>" + breakable(esc(fails.isEmpty() ? "none" : fails))
                + "</td><td>" + relay + "</td></tr>\n";
        entries.put(index, new Entry(row, render(r, anchor)));
    }

    /** A line at position {@code index} of the input that is not a target: listed in the summary as skipped. */
    public synchronized void skipped(long index, String line, String reason) {
        nextIndex = Math.max(nextIndex, index + 1);
        entries.put(index, new Entry("<tr><td>" + (index + 1) + "</td><td>" + esc(line) + "</td><td>skipped</td><td colspan=\"2\">"
                + esc(reason) + "</td></tr>\n", ""));
    }

    private static String render(CheckReport r, String anchor) {
        StringBuilder b = new StringBuilder();
        b.append("<section><h2 id=\"").append(anchor).append("\">").append(esc(r.target())).append(": <span class=\"").append(r.verdict().name()).append("\">")
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
            h.probedAs().ifPresent(first -> b.append("<p class=\"note\">Same address as ").append(esc(first))
                    .append(": probed once, as that name; judged here for this one.</p>\n"));
            h.observation().ifPresent(o -> {
                b.append("<p>STARTTLS: ").append(esc(o.startTls().status().name())).append(' ').append(esc(o.startTls().detail()))
                        .append("<br>Protocols: ");
                o.acceptedSuites().forEach((v, s) -> b.append(esc(v.displayName())).append(" (").append(s.size()).append(" suites) "));
                b.append("<br>Groups: ").append(esc(String.join(", ", o.acceptedGroups().stream().sorted().toList())))
                        .append("<br>Handshake: ").append(esc(TextReport.handshakeFacts(o)))
                        .append("<br>Vulnerabilities: ").append(esc(TextReport.vulnerabilityFacts(o))).append("</p>\n");
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
        return b.append("</section>\n").toString();
    }

    /** Writes the summary (with two or more entries), every section in input order, and closes the page. */
    public synchronized void end() {
        if (entries.size() > 1) {
            StringBuilder b = new StringBuilder("<h2>Summary</h2>\n<table class=\"summary\"><colgroup><col class=\"num\"><col>"
                    + "<col class=\"verdict\"><col class=\"fails\"><col></colgroup><tr><th>#</th><th>Target</th><th>Verdict</th>"
                    + "<th>FAIL findings</th><th>Relay</th></tr>\n");
            entries.values().forEach(e -> b.append(e.summaryRow()));
            write(b.append("</table>\n").toString());
        }
        entries.values().forEach(e -> write(e.section()));
        entries.clear();
        write("</body></html>\n");
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTML report: " + e.getMessage(), e);
        }
    }

    private static void findings(StringBuilder b, List<Finding> findings) {
        if (findings.isEmpty()) return;
        b.append("<table class=\"findings\"><colgroup><col class=\"sev\"><col class=\"code\"><col><col><col class=\"rule\"></colgroup>"
                + "<tr><th>Severity</th><th>Finding</th><th>Seen</th><th>How to fix</th><th>Rule</th></tr>\n");
        for (Finding f : findings) {
            b.append("<tr class=\"").append(f.severity().name()).append("\"><td>").append(f.severity().name()).append("</td><td>")
                    .append(f.code().name()).append("<br><small>").append(esc(f.subject())).append("</small></td><td>")
                    .append(esc(f.evidence())).append("</td><td>").append(esc(f.message())).append("</td><td>")
                    .append(esc(f.rule())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** Lets already-escaped text such as WEAK_SIGNATURE_ALGORITHM wrap after its underscores (where else it could not). */
    private static String breakable(String escaped) {
        return escaped.replace("_", "_<wbr>");
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
