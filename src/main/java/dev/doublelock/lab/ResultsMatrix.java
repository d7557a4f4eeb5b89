package dev.doublelock.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sender × profile → verdict. A sender is a client address plus EHLO name; rows are grouped by the
 * MAIL FROM domain the sender used. The verdict of a cell is the worst of that sender's sessions.
 */
public final class ResultsMatrix {
    /**
     * One sender's row.
     *
     * @param clientAddress the sender's IP address
     * @param ehloName      the name it gave in EHLO/HELO ("" if none)
     */
    public record Row(String mailFromDomain, String sender, Map<LabProfile, Verdict> verdicts, int sessions,
                      String clientAddress, String ehloName) {
        /** "mta.example.org (192.0.2.1)": the EHLO name first, as postmasters know their systems by it. */
        public String label() {
            return (ehloName.isEmpty() ? "no EHLO" : ehloName) + " (" + clientAddress + ")";
        }

        /** Its results at the DANE scenarios (RFC 7672), every scenario in profile order; empty if it tried none. */
        public List<DaneScenarioResult> dane() {
            return DaneScenarioResult.of(verdicts);
        }

        /** Profiles this sender failed (delivered to a defect endpoint or without TLS). */
        public List<LabProfile> failed() {
            return verdicts.entrySet().stream()
                    .filter(e -> e.getValue().failsTest() && !(e.getKey().isGood() && e.getValue() == Verdict.DELIVERED))
                    .map(Map.Entry::getKey).toList();
        }
    }

    private final List<Row> rows;

    private ResultsMatrix(List<Row> rows) {
        this.rows = rows;
    }

    public static ResultsMatrix of(List<SessionRecord> records) {
        Map<String, Map<LabProfile, Verdict>> cells = new TreeMap<>();
        Map<String, String> domainOf = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, SessionRecord> first = new TreeMap<>();
        for (SessionRecord r : records) {
            LabProfile profile = LabProfile.byName(r.profile()).orElse(null);
            if (profile == null) continue;
            String sender = r.sender();
            cells.computeIfAbsent(sender, s -> new EnumMap<>(LabProfile.class)).merge(profile, r.verdict(), Verdict::worst);
            counts.merge(sender, 1, Integer::sum);
            first.putIfAbsent(sender, r);
            if (!r.mailFromDomain().isEmpty()) domainOf.put(sender, r.mailFromDomain());
        }
        List<Row> rows = new ArrayList<>();
        cells.forEach((sender, verdicts) -> rows.add(new Row(domainOf.getOrDefault(sender, ""), sender,
                java.util.Collections.unmodifiableMap(verdicts), counts.get(sender), first.get(sender).clientAddress(),
                first.get(sender).ehloName() == null ? "" : first.get(sender).ehloName())));
        rows.sort(Comparator.comparing(Row::mailFromDomain).thenComparing(Row::sender));
        return new ResultsMatrix(List.copyOf(rows));
    }

    public List<Row> rows() {
        return rows;
    }
}
