package dev.doublelock.cli;

import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.RecordStore;
import dev.doublelock.lab.ResultsMatrix;
import dev.doublelock.lab.SenderSessions;
import dev.doublelock.lab.SenderSummary;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.io.SqliteFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code doublelock lab results}: one row per recorded SMTP session, and the sender × profile matrix. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Prints one row per SMTP session the lab recorded (time, profile, client, EHLO, MAIL FROM, "
                + "RCPT TO, TLS or the alert the client sent, verdict), then each sender's verdict per profile.",
                "Reads only. Exit codes: 0 printed, 3 nothing at the data location (nothing is created), "
                        + "4 the record file is unusable."})
final class LabResultsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory the lab uses (default: $"
            + DataLocation.ENV + ", else /var/lib/doublelock when writable, else ./doublelock-data).")
    Path data;

    @Option(names = "--db", description = "JDBC URL of the records (default: SQLite file DATA/lab.db).")
    String db;

    @Option(names = "--json", description = "Print the session rows as a JSON array.")
    boolean json;

    @Option(names = "--tls-reports", description = "Print the TLS reports (RFC 8460) the lab received — by mail to "
            + "tlsrpt@ a lab name or POSTed to the web page's /tlsrpt — per reporting organization, one line per policy; "
            + "with --json as a JSON array.")
    boolean tlsReports;

    @Option(names = "--dane", description = "Print each sender's results at the DANE scenarios (RFC 7672): what it "
            + "must do, what the lab saw, passed or failed (with --json: as JSON).")
    boolean dane;

    @Option(names = "--mta-sts", description = "Print each sender's result at every MTA-STS scenario (passed, failed or "
            + "not judged, with what it did); with --json as a JSON array.")
    boolean mtaSts;

    @Option(names = "--zone", paramLabel = "NAME", defaultValue = dev.doublelock.lab.LabZone.DEFAULT_ZONE,
            description = "With --mta-sts: the lab's zone, to find the TLS reports about its scenario domains "
                    + "(default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--all", description = "Also show the checker's own probes (EHLO doublelock-check…, no mail) and "
            + "bare port checks (no EHLO/HELO); by default they are left out.")
    boolean all;

    @Override
    public Integer call() {
        try {
            return print();
        } catch (RuntimeException e) {
            return ExitCodes.report(spec, e);
        }
    }

    private RecordStore open() {
        if (db != null && !db.startsWith("jdbc:sqlite:")) return RecordStore.open(db);
        Path file = db != null ? SqliteFile.fileOf(db).toAbsolutePath() : RecordStore.defaultFile(DataLocation.of(data).dir());
        if (!Files.exists(file)) throw DataLocation.nothingAt(file, "lab");
        return RecordStore.openReadOnly(file);
    }

    private int print() {
        try (RecordStore store = open()) {
            if (tlsReports) return printTlsReports(store);
            if (mtaSts) return printMtaSts(store);
            SenderSessions senders = SenderSessions.of(store.all(0), all);
            List<SessionRecord> records = senders.shown();
            if (dane) return printDane(records);
            if (json) {
                System.out.println(Json.write(records));
                if (senders.hiddenTotal() > 0) System.err.println(senders.hiddenNote() + " (--all shows them)");
                return 0;
            }
            System.out.printf("%-20s %-20s %-16s %-22s %-26s %-26s %-40s %s%n", "TIME", "PROFILE", "CLIENT", "EHLO",
                    "MAIL FROM", "RCPT TO", "TLS", "VERDICT");
            for (SessionRecord r : records) {
                String tls = switch (r.startTls()) {
                    case "established" -> r.tlsProtocol() + " " + r.tlsCipher();
                    case "failed" -> "handshake failed: " + r.alert();
                    case "refused-454" -> "STARTTLS answered 454";
                    default -> "no STARTTLS";
                };
                System.out.printf("%-20s %-20s %-16s %-22s %-26s %-26s %-40s %s%n",
                        r.startedAt().toString().replace('T', ' ').substring(0, 19), r.profile(), r.clientAddress(),
                        cut(r.ehloName(), 22), cut(nz(r.mailFrom()), 26), cut(String.join(",", r.rcptTo()), 26),
                        cut(tls, 40), r.verdict());
            }
            if (senders.hiddenTotal() > 0) System.out.println("(" + senders.hiddenNote() + "; --all shows them)");
            System.out.println();
            List<ResultsMatrix.Row> rows = ResultsMatrix.of(records).rows();
            for (ResultsMatrix.Row row : rows) System.out.println(SenderSummary.of(row).line());
            if (!rows.isEmpty()) System.out.println();
            java.util.Map<String, dev.doublelock.lab.SenderSni> sni = dev.doublelock.lab.SenderSni.of(records);
            for (ResultsMatrix.Row row : rows) {
                System.out.println((row.mailFromDomain().isEmpty() ? "" : row.mailFromDomain() + "  ") + row.sender());
                if (sni.containsKey(row.sender())) System.out.println("    " + sni.get(row.sender()).line());
                for (LabProfile p : LabProfile.values()) {
                    var v = row.verdicts().get(p);
                    if (v != null) System.out.printf("    %-21s %-24s %s%n", p.profileName(), v, v.words());
                }
                List<dev.doublelock.lab.DaneScenarioResult> dane = row.dane();
                if (!dane.isEmpty()) {
                    System.out.println("    DANE (RFC 7672):");
                    for (var d : dane) System.out.println("      " + d.line());
                }
                List<LabProfile> failed = row.failed();
                System.out.println(failed.isEmpty() ? "    => no insecure delivery seen"
                        : "    => FAILED: delivered to " + failed.size() + " insecure endpoint(s): " + failed);
            }
            var sts = dev.doublelock.lab.MtaStsResults.of(records).rows();
            if (!sts.isEmpty()) {
                long failed = sts.stream().filter(r -> !r.failed().isEmpty()).count();
                System.out.println("\n" + sts.size() + " sender(s) at the MTA-STS scenarios, " + failed
                        + " failed one or more; --mta-sts shows them");
            }
            int reports = store.tlsReports().size();
            if (reports > 0) System.out.println("\n" + reports + " TLS report(s) received; --tls-reports shows them");
            return 0;
        }
    }

    private int printDane(List<SessionRecord> records) {
        List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
        for (ResultsMatrix.Row row : ResultsMatrix.of(records).rows()) {
            List<dev.doublelock.lab.DaneScenarioResult> results = row.dane();
            if (results.isEmpty()) continue;
            List<java.util.Map<String, Object>> scenarios = new java.util.ArrayList<>();
            for (var d : results) {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("profile", d.profile().profileName());
                m.put("sender_must", d.expectation().name());
                m.put("verdict", d.verdict().map(Enum::name).orElse(null));
                m.put("result", d.result().name());
                scenarios.add(m);
            }
            java.util.Map<String, Object> s = new java.util.LinkedHashMap<>();
            s.put("sender", row.sender());
            s.put("label", row.label());
            s.put("dane", scenarios);
            out.add(s);
            if (!json) {
                System.out.println(row.label());
                for (var d : results) System.out.println("    " + d.line());
            }
        }
        if (json) System.out.println(Json.write(out));
        else if (out.isEmpty()) System.out.println("no sender has been seen at a DANE scenario yet (dane-* profiles)");
        return 0;
    }

    private int printMtaSts(RecordStore store) {
        dev.doublelock.lab.MtaStsResults results = dev.doublelock.lab.MtaStsResults.of(SenderSessions.of(store.all(0), all).shown());
        if (json) {
            System.out.println(Json.write(results.json()));
            return 0;
        }
        if (results.rows().isEmpty()) {
            System.out.println("no sender has been to an MTA-STS scenario yet: send mail to probe@<scenario>.<zone> "
                    + "(the scenarios are listed when the lab starts)");
            return 0;
        }
        for (var row : results.rows()) {
            System.out.println(row.sender());
            for (var cell : row.cells()) {
                System.out.printf("    %-26s %-36s %s%n", cell.scenario().scenarioName(), cell.scenario().expectation().words(),
                        cell.words());
            }
            System.out.println(row.failed().isEmpty() ? "    => no MTA-STS scenario failed"
                    : "    => FAILED " + row.failed().size() + " MTA-STS scenario(s): " + row.failed());
        }
        for (var rep : dev.doublelock.lab.MtaStsResults.reports(store.tlsReports(),
                dev.doublelock.dns.server.ZoneBuilder.zoneName(zone))) {
            System.out.printf("TLS report from %s on %s (%s): %d successful, %d failed %s%n", rep.organization(),
                    rep.scenario().scenarioName(), rep.policyType(), rep.successful(), rep.failed(), rep.resultTypes());
        }
        return 0;
    }

    private int printTlsReports(RecordStore store) {
        List<java.util.Map<String, Object>> orgs = dev.doublelock.lab.TlsReportSummary.of(store.tlsReports(),
                ResultsMatrix.of(SenderSessions.of(store.all(0), false).shown()).rows());
        if (json) {
            System.out.println(Json.write(orgs));
            return 0;
        }
        if (orgs.isEmpty()) {
            System.out.println("no TLS reports received yet: senders send them to the rua of the lab's _smtp._tls "
                    + "records (mail to tlsrpt@<lab name>, or POST application/tlsrpt+gzip to the web page's /tlsrpt)");
            return 0;
        }
        for (var org : orgs) {
            System.out.println(org.get("organization") + " <" + org.get("contact") + ">: " + org.get("reports")
                    + " report(s), last " + org.get("last_received"));
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> rows = (List<java.util.Map<String, Object>>) org.get("policies");
            for (var row : rows) {
                System.out.printf("    %-10s %-28s %-16s %6s ok %6s failed  %s  (%s, %s)%n", row.get("period_start")
                        .toString().substring(0, 10), row.get("policy_domain"), row.get("policy_type"),
                        row.get("successful_sessions"), row.get("failed_sessions"), row.get("result_types"), row.get("via"),
                        row.get("report_id"));
            }
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> dane = (List<java.util.Map<String, Object>>) org.get("dane");
            for (var d : dane) {
                System.out.println("    DANE scenarios of " + d.get("sender") + ":");
                @SuppressWarnings("unchecked")
                List<java.util.Map<String, Object>> scenarios = (List<java.util.Map<String, Object>>) d.get("scenarios");
                for (var sc : scenarios) System.out.println("      " + sc.get("line"));
            }
        }
        return 0;
    }

    private static String nz(String s) {
        return s == null ? "" : s.isEmpty() ? "<>" : s;
    }

    private static String cut(String s, int n) {
        if (s == null) return "";
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
