package dev.doublelock.lab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sender × MTA-STS scenario → what it did (the worst verdict of its sessions with the scenario's MX, or none) and
 * whether that passes the scenario ({@link MtaStsScenario#judge}). A sender appears once it has a session with any
 * scenario MX; a scenario it never connected to is passed when it must refuse there, and not judged when it must
 * deliver. Whether a sender reported a testing-mode failure by TLS-RPT is shown beside this from the TLS reports.
 */
public final class MtaStsResults {
    /**
     * One scenario for one sender.
     *
     * @param verdict what its sessions show (empty: it never connected to the scenario's MX)
     * @param outcome passed, failed, or empty (nothing to judge yet)
     */
    public record Cell(MtaStsScenario scenario, Optional<Verdict> verdict, Optional<MtaStsScenario.Outcome> outcome) {
        /** "passed: refused at the handshake", "failed: delivered over good TLS", "not judged: never connected". */
        public String words() {
            String what = verdict.map(Verdict::words).orElse("never connected");
            return outcome.map(o -> o.name().toLowerCase(java.util.Locale.ROOT) + ": " + what)
                    .orElse("not judged: " + what);
        }
    }

    /** One sender's row, every scenario in order. */
    public record Row(String sender, List<Cell> cells) {
        public Row {
            cells = List.copyOf(cells);
        }

        public Cell cell(MtaStsScenario scenario) {
            return cells.get(scenario.ordinal());
        }

        /** The scenarios this sender failed. */
        public List<MtaStsScenario> failed() {
            return cells.stream().filter(c -> c.outcome().equals(Optional.of(MtaStsScenario.Outcome.FAILED)))
                    .map(Cell::scenario).toList();
        }
    }

    private final List<Row> rows;

    private MtaStsResults(List<Row> rows) {
        this.rows = rows;
    }

    public static MtaStsResults of(List<SessionRecord> records) {
        Map<String, Map<MtaStsScenario, Verdict>> seen = new TreeMap<>();
        for (SessionRecord r : records) {
            Optional<MtaStsScenario> scenario = MtaStsScenario.byName(r.profile());
            if (scenario.isEmpty()) continue;
            seen.computeIfAbsent(r.sender(), s -> new EnumMap<>(MtaStsScenario.class))
                    .merge(scenario.get(), r.verdict(), Verdict::worst);
        }
        List<Row> rows = new ArrayList<>();
        seen.forEach((sender, verdicts) -> {
            List<Cell> cells = new ArrayList<>();
            for (MtaStsScenario s : MtaStsScenario.values()) {
                Optional<Verdict> v = Optional.ofNullable(verdicts.get(s));
                cells.add(new Cell(s, v, s.judge(v)));
            }
            rows.add(new Row(sender, cells));
        });
        return new MtaStsResults(List.copyOf(rows));
    }

    public List<Row> rows() {
        return rows;
    }

    /**
     * One reporting organization's word on a scenario domain (RFC 8460): what a testing-mode scenario asks for
     * besides the delivery. Reports come per organization, not per connecting address, so they stand beside the
     * senders' rows rather than in them.
     */
    public record Reported(MtaStsScenario scenario, String organization, String policyType, long successful, long failed,
                           List<String> resultTypes) {
        public Reported {
            resultTypes = List.copyOf(resultTypes);
        }
    }

    /** Every policy of the received TLS reports that is about a scenario domain of {@code zone}, in report order. */
    public static List<Reported> reports(List<TlsReportRecord> received, org.xbill.DNS.Name zone) {
        Map<String, MtaStsScenario> byDomain = new java.util.HashMap<>();
        for (MtaStsScenario s : MtaStsScenario.values()) {
            byDomain.put(s.domain(zone).toString(true).toLowerCase(java.util.Locale.ROOT), s);
        }
        List<Reported> out = new ArrayList<>();
        for (TlsReportRecord r : received) {
            for (dev.doublelock.tlsrpt.ReceivedReport.Policy p : r.report().policies()) {
                String domain = p.domain().toLowerCase(java.util.Locale.ROOT);
                if (domain.endsWith(".")) domain = domain.substring(0, domain.length() - 1);
                MtaStsScenario s = byDomain.get(domain);
                if (s != null) {
                    out.add(new Reported(s, r.report().organization(), p.type(), p.successful(), p.failed(), p.resultTypes()));
                }
            }
        }
        return out;
    }

    /** The JSON shape of {@code lab results --mta-sts --json} and the web's {@code /api/mta-sts}. */
    public List<Map<String, Object>> json() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (Cell c : row.cells()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("scenario", c.scenario().scenarioName());
                m.put("expected", c.scenario().expectation().words());
                m.put("verdict", c.verdict().map(Verdict::name).orElse(null));
                m.put("outcome", c.outcome().map(Enum::name).orElse(null));
                m.put("words", c.words());
                cells.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sender", row.sender());
            m.put("scenarios", cells);
            m.put("failed", row.failed().stream().map(MtaStsScenario::scenarioName).toList());
            out.add(m);
        }
        return out;
    }
}
