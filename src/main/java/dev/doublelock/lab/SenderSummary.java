package dev.doublelock.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sentence per sender, for the top of the results: "mta.example.org (192.0.2.1) delivered to 2 of 5
 * defective endpoints it tried (19 in the lab): expired certificate, TLS 1.0 only", and what to change.
 *
 * @param label    the sender, EHLO name first
 * @param line     the sentence
 * @param failed   the profiles it failed, in profile order
 * @param tried    how many defective profiles it was seen at
 * @param remedies what its postmaster should change (empty if it failed nothing)
 */
public record SenderSummary(String label, String line, List<LabProfile> failed, int tried, Set<Remedy> remedies) {
    public SenderSummary {
        failed = List.copyOf(failed);
        remedies = remedies.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(remedies));
    }

    /** The number of defective profiles the lab serves (every profile but the good ones). */
    public static int defectiveProfiles() {
        return (int) Arrays.stream(LabProfile.values()).filter(p -> !p.isGood()).count();
    }

    public static SenderSummary of(ResultsMatrix.Row row) {
        List<LabProfile> failed = row.failed();
        Set<Remedy> remedies = EnumSet.noneOf(Remedy.class);
        int tried = 0;
        for (Map.Entry<LabProfile, Verdict> e : row.verdicts().entrySet()) {
            if (!e.getKey().isGood()) tried++;
            remedies.addAll(Remedy.forFailure(e.getKey(), e.getValue()));
        }
        String label = row.label();
        String of = " (" + defectiveProfiles() + " in the lab)";
        String line;
        if (tried == 0 && failed.isEmpty()) {
            line = label + " has only been seen at the good endpoints so far: send it to the defective ones too.";
        } else if (failed.isEmpty()) {
            line = label + (tried == 1 ? " refused the one defective endpoint it tried" : " refused all " + tried
                    + " defective endpoints it tried") + of + ".";
        } else {
            List<String> words = new ArrayList<>();
            for (LabProfile p : failed) {
                words.add(p.isGood() ? p.profileName() + " in plaintext" : p.shortDefect());
            }
            int denominator = Math.max(tried, failed.size());
            line = label + " delivered to " + failed.size() + " of " + denominator + " defective endpoint"
                    + (denominator == 1 ? "" : "s") + " it tried" + of + ": " + String.join(", ", words) + ".";
        }
        return new SenderSummary(label, line, failed, tried, remedies);
    }
}
