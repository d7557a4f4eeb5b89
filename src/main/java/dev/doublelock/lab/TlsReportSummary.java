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
            out.add(m);
        });
        return out;
    }
}
