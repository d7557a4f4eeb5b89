package dev.doublelock.lab;

import dev.doublelock.tlsrpt.ReceivedReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TLS reports the lab received, per reporting organization, newest report first: what the page shows and
 * {@code lab results --json} prints under {@code tls_reports}. One row per policy of each report: the policy
 * domain and type, the session counts and the failure result types the reporter gave.
 */
public final class TlsReportSummary {
    private TlsReportSummary() {
    }

    public static List<Map<String, Object>> of(List<TlsReportRecord> records) {
        return of(records, List.of());
    }

    /**
     * As {@link #of(List)}, and per organization, beside each of its senders' DANE scenario results, whether it reported
     * the DANE failure there ({@link DaneReporting}): {@code dane: [{sender, scenarios: [{profile, sender_result,
     * reported}]}]}.
     */
    public static List<Map<String, Object>> of(List<TlsReportRecord> records, List<ResultsMatrix.Row> senders) {
        Map<String, List<Map<String, Object>>> daneByOrg = new LinkedHashMap<>();
        for (ResultsMatrix.Row row : senders) {
            for (DaneReporting d : DaneReporting.of(row, records)) {
                List<Map<String, Object>> scenarios = new ArrayList<>();
                for (DaneReporting.Scenario s : d.scenarios()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("profile", s.profile().profileName());
                    m.put("sender_result", s.senderResult().name());
                    m.put("reported", s.reported());
                    m.put("line", DaneReporting.words(s));
                    scenarios.add(m);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sender", d.sender());
                m.put("scenarios", scenarios);
                daneByOrg.computeIfAbsent(d.organization(), k -> new ArrayList<>()).add(m);
            }
        }
        Map<String, List<TlsReportRecord>> byOrg = new LinkedHashMap<>();
        for (TlsReportRecord r : records.reversed()) {
            byOrg.computeIfAbsent(r.report().organization(), k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byOrg.forEach((org, reports) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("organization", org);
            m.put("contact", reports.getFirst().report().contact());
            m.put("reports", reports.size());
            m.put("last_received", reports.getFirst().receivedAt().toString());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TlsReportRecord r : reports) {
                for (ReceivedReport.Policy p : r.report().policies()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("report_id", r.report().reportId());
                    row.put("received", r.receivedAt().toString());
                    row.put("via", r.via().name().toLowerCase(Locale.ROOT));
                    row.put("client_address", r.clientAddress());
                    row.put("period_start", r.report().start().toString());
                    row.put("period_end", r.report().end().toString());
                    row.put("policy_domain", p.domain());
                    row.put("policy_type", p.type());
                    row.put("successful_sessions", p.successful());
                    row.put("failed_sessions", p.failed());
                    row.put("result_types", p.resultTypes());
                    rows.add(row);
                }
            }
            m.put("policies", rows);
            m.put("dane", daneByOrg.getOrDefault(org, List.of()));
            out.add(m);
        });
        return out;
    }
}
