package dev.doublelock.cli;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.lab.LabOptions;
import dev.doublelock.lab.LabProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code doublelock lab profiles}: the profile table, as text or JSON. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = "Lists the lab's profiles: port, name, defects and the findings a checker must report.")
final class LabProfilesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print [{name, port, defects, expected_findings, ipv6_interface_id, "
            + "sni_selectable}].")
    boolean json;

    @Option(names = "--base-port", defaultValue = "" + LabOptions.DEFAULT_BASE_PORT,
            description = "Base port the ports are computed from (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LabProfile p : LabProfile.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.profileName());
            row.put("port", basePort + p.ordinal());
            row.put("defects", p.defects());
            row.put("expected_findings", p.expectedFindings().stream().map(FindingCode::name).toList());
            row.put("ipv6_interface_id", "::" + Integer.toHexString(p.ordinal() + 1));
            row.put("sni_selectable", dev.doublelock.lab.SniProfiles.selectable(p));
            row.put("sender_must", p.expectation().name());
            row.put("dane", p.dane().map(Enum::name).orElse(null));
            rows.add(row);
        }
        if (json) {
            System.out.println(Json.write(rows));
        } else {
            System.out.printf("%-6s %-21s %-60s %-21s %s%n", "PORT", "PROFILE", "DEFECTS", "A SENDER MUST",
                    "CHECKER MUST REPORT");
            for (LabProfile p : LabProfile.values()) {
                Map<String, Object> r = rows.get(p.ordinal());
                System.out.printf("%-6s %-21s %-60s %-21s %s%n", r.get("port"), r.get("name"), r.get("defects"),
                        p.expectation().words(), String.join(", ", castList(r.get("expected_findings"))));
            }
            System.out.println();
            System.out.println("With --ipv6-prefix P/64 profile number N (from 0, in this order) listens on [P::N+1]:25. On the "
                    + "--sni-bind listener a sender naming <profile>.ZONE reaches: " + String.join(", ",
                    dev.doublelock.lab.SniProfiles.selectable().stream().map(LabProfile::profileName).toList())
                    + "; the others are reachable on their own address only.");
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        List<String> l = (List<String>) o;
        return l.isEmpty() ? List.of("(nothing: compliant)") : l;
    }
}
