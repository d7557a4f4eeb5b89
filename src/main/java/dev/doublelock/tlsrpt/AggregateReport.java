package dev.doublelock.tlsrpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * One RFC 8460 aggregate report: one reporting organisation, one policy domain, one UTC day (§4.4, JSON as §4.5
 * specifies, field order as in its example). Built from the day's {@link ResultCount}s for that domain; each
 * distinct policy (type and strings) is one entry of {@code policies}, with its MX hosts, its summary and its
 * failure details.
 */
public final class AggregateReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

    private final String organizationName;
    private final String contactInfo;
    private final String reportId;
    private final LocalDate day;
    private final String policyDomain;
    private final List<ResultCount> counts;

    /**
     * @param organizationName the reporting organisation (config {@code tlsrpt.organizationName})
     * @param contactInfo      an address or URL to reach it (config {@code tlsrpt.contact})
     * @param reportId         unique per report, e.g. {@code 2026-12-02.example.org@relay.example.net}
     * @param counts           the day's counts for {@code policyDomain} (others are refused)
     */
    public AggregateReport(String organizationName, String contactInfo, String reportId, LocalDate day,
                           String policyDomain, List<ResultCount> counts) {
        this.organizationName = Objects.requireNonNull(organizationName, "organizationName");
        this.contactInfo = Objects.requireNonNull(contactInfo, "contactInfo");
        this.reportId = Objects.requireNonNull(reportId, "reportId");
        this.day = Objects.requireNonNull(day, "day");
        this.policyDomain = Objects.requireNonNull(policyDomain, "policyDomain");
        for (ResultCount c : counts) {
            if (!c.policyDomain().equalsIgnoreCase(policyDomain) || !c.day().equals(day)) {
                throw new IllegalArgumentException("a count for " + c.policyDomain() + " on " + c.day()
                        + " does not belong in the report for " + policyDomain + " on " + day);
            }
        }
        this.counts = List.copyOf(counts);
    }

    /** Groups a day's counts by policy domain, in name order. */
    public static Map<String, List<ResultCount>> byDomain(List<ResultCount> counts) {
        Map<String, List<ResultCount>> out = new TreeMap<>();
        for (ResultCount c : counts) {
            out.computeIfAbsent(c.policyDomain().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    public long successfulSessions() {
        return counts.stream().filter(c -> c.failure().isEmpty()).mapToLong(ResultCount::sessions).sum();
    }

    public long failedSessions() {
        return counts.stream().filter(c -> c.failure().isPresent()).mapToLong(ResultCount::sessions).sum();
    }

    /** The report as RFC 8460 JSON. */
    public ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("organization-name", organizationName);
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", RFC3339.format(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
        range.put("end-datetime", RFC3339.format(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1)));
        root.put("contact-info", contactInfo);
        root.put("report-id", reportId);
        ArrayNode policies = root.putArray("policies");
        Map<List<String>, List<ResultCount>> byPolicy = new LinkedHashMap<>();
        for (ResultCount c : counts) {
            List<String> key = new ArrayList<>();
            key.add(c.policyType());
            key.addAll(c.policyStrings());
            byPolicy.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        for (List<ResultCount> group : byPolicy.values()) {
            ResultCount first = group.getFirst();
            ObjectNode entry = policies.addObject();
            ObjectNode policy = entry.putObject("policy");
            policy.put("policy-type", first.policyType());
            ArrayNode strings = policy.putArray("policy-string");
            first.policyStrings().forEach(strings::add);
            policy.put("policy-domain", policyDomain);
            Set<String> mx = new LinkedHashSet<>();
            group.forEach(c -> mx.add(c.mxHost()));
            ArrayNode mxHosts = policy.putArray("mx-host");
            mx.forEach(mxHosts::add);
            ObjectNode summary = entry.putObject("summary");
            summary.put("total-successful-session-count",
                    group.stream().filter(c -> c.failure().isEmpty()).mapToLong(ResultCount::sessions).sum());
            summary.put("total-failure-session-count",
                    group.stream().filter(c -> c.failure().isPresent()).mapToLong(ResultCount::sessions).sum());
            ArrayNode details = entry.putArray("failure-details");
            for (ResultCount c : group) {
                if (c.failure().isEmpty()) {
                    continue;
                }
                SessionResult.Failure f = c.failure().get();
                ObjectNode d = details.addObject();
                d.put("result-type", f.resultType());
                putIfSet(d, "sending-mta-ip", f.sendingMtaIp());
                putIfSet(d, "receiving-mx-hostname", f.receivingMxHostname());
                putIfSet(d, "receiving-ip", f.receivingIp());
                d.put("failed-session-count", c.sessions());
                putIfSet(d, "failure-reason-code", f.failureReasonCode());
            }
        }
        return root;
    }

    private static void putIfSet(ObjectNode node, String name, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(name, value);
        }
    }

    /** The JSON, gzip-compressed, as RFC 8460 §5.3 sends it ({@code application/tlsrpt+gzip}). */
    public byte[] gzip() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(JSON.writeValueAsBytes(json()));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The attachment's file name (RFC 8460 §5.3): {@code receiver!policy-domain!begin-timestamp!end-timestamp.json.gz}
     * with UNIX timestamps; the receiver is the reporting organisation's domain.
     */
    public String filename(String submitterDomain) {
        long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - 1;
        return submitterDomain + "!" + policyDomain + "!" + start + "!" + end + ".json.gz";
    }

    public String reportId() {
        return reportId;
    }

    public String policyDomain() {
        return policyDomain;
    }

    public LocalDate day() {
        return day;
    }
}
