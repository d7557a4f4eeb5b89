package dev.doublelock.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doublelock.tlsrpt.ReceivedReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a reporting organization told the lab about a sender's DANE failures (RFC 8460): for each DANE scenario
 * where the sender had to defer and did not deliver, did a TLS report of the organization count failed sessions for
 * that scenario's domain? The organization belongs to the sender when one of its reports came from the sender's
 * address (a report mail its MTA delivered) or names that address as {@code sending-mta-ip} in its failure details.
 * Observation only: a sender that reports nothing is not failed for it (TLS-RPT is optional), but the page says so.
 *
 * @param organization the reporter's organization-name
 * @param sender       the sender's label ("mta.example.org (192.0.2.1)")
 * @param scenarios    per scenario the sender deferred (or never connected to): reported or not
 */
public record DaneReporting(String organization, String sender, List<Scenario> scenarios) {
    /** One scenario: did the organization report failures for its domain. */
    public record Scenario(LabProfile profile, DaneScenarioResult.Result senderResult, boolean reported) {
    }

    public DaneReporting {
        scenarios = List.copyOf(scenarios);
    }

    /** The reporting of every organization that belongs to {@code row}'s sender; empty when none does. */
    public static List<DaneReporting> of(ResultsMatrix.Row row, List<TlsReportRecord> reports) {
        List<DaneScenarioResult> deferrals = row.dane().stream()
                .filter(d -> d.expectation() == SenderExpectation.DEFER && d.result() != DaneScenarioResult.Result.FAILED)
                .toList();
        if (deferrals.isEmpty()) return List.of();
        java.util.Map<String, List<ReceivedReport>> byOrg = new java.util.LinkedHashMap<>();
        for (TlsReportRecord r : reports) {
            if (r.clientAddress().equals(row.clientAddress()) || namesSendingIp(r.report().json(), row.clientAddress())) {
                byOrg.computeIfAbsent(r.report().organization(), k -> new ArrayList<>()).add(r.report());
            }
        }
        List<DaneReporting> out = new ArrayList<>();
        byOrg.forEach((org, rs) -> {
            List<Scenario> scenarios = new ArrayList<>();
            for (DaneScenarioResult d : deferrals) {
                String label = d.profile().profileName().replace('.', '-');
                boolean reported = rs.stream().flatMap(r -> r.policies().stream())
                        .anyMatch(p -> p.failed() > 0 && firstLabel(p.domain()).equals(label));
                scenarios.add(new Scenario(d.profile(), d.result(), reported));
            }
            out.add(new DaneReporting(org, row.label(), scenarios));
        });
        return out;
    }

    /** "reported the DANE failure at dane-servfail: yes". */
    public static String words(Scenario s) {
        return "reported the DANE failure at " + s.profile().profileName() + ": " + (s.reported() ? "yes" : "no");
    }

    private static boolean namesSendingIp(JsonNode report, String address) {
        for (JsonNode p : report.path("policies")) {
            for (JsonNode f : p.path("failure-details")) {
                if (address.equals(f.path("sending-mta-ip").asText(null))) return true;
            }
        }
        return false;
    }

    private static String firstLabel(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        int dot = d.indexOf('.');
        return dot < 0 ? d : d.substring(0, dot);
    }
}
