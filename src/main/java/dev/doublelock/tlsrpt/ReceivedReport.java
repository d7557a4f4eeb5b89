package dev.doublelock.tlsrpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.message.MimeEntity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * An RFC 8460 aggregate report someone sent us, read and checked: from a report mail ({@code multipart/report;
 * report-type=tlsrpt} with an {@code application/tlsrpt+gzip} or {@code +json} part, §5.3) or an HTTPS POST body
 * (§5.4), decompressed within {@value #MAX_JSON_BYTES} octets, and valid against {@link ReportSchema}.
 *
 * @param organization the reporter's organization-name
 * @param contact      its contact-info
 * @param reportId     its report-id
 * @param start        start of the reported period
 * @param end          end of the reported period
 * @param policies     per policy: type, domain, session counts and the result types of its failures
 * @param json         the report itself
 */
public record ReceivedReport(String organization, String contact, String reportId, Instant start, Instant end,
                             List<Policy> policies, JsonNode json) {
    /** Decompressed report JSON kept at most (a report for a big sender is a few hundred KB). */
    public static final int MAX_JSON_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public ReceivedReport {
        policies = List.copyOf(policies);
    }

    /**
     * One policy of the report.
     *
     * @param resultTypes the distinct failure result types, sorted
     */
    public record Policy(String type, String domain, long successful, long failed, List<String> resultTypes) {
        public Policy {
            resultTypes = List.copyOf(resultTypes);
        }
    }

    /** Why a report was refused, in words for the SMTP reply or the HTTP answer. */
    public static final class InvalidReportException extends Exception {
        public InvalidReportException(String message) {
            super(message);
        }
    }

    /** The report in a report mail (RFC 8460 §5.3). */
    public static ReceivedReport fromMail(byte[] mail) throws InvalidReportException {
        MimeEntity message = MimeEntity.parse(mail);
        MimeEntity.ContentType type = message.contentType();
        if (!type.type().equals("multipart/report") || !type.parameter("report-type").map(t -> t.equalsIgnoreCase("tlsrpt")).orElse(false)) {
            throw new InvalidReportException("not a TLS report: the message must be multipart/report; report-type=tlsrpt "
                    + "(RFC 8460 §5.3), not " + type.type() + type.parameter("report-type").map(t -> "; report-type=" + t).orElse(""));
        }
        for (MimeEntity part : message.parts()) {
            String media = part.contentType().type();
            if (media.equals("application/tlsrpt+gzip") || media.equals("application/tlsrpt+json")) {
                byte[] content;
                try {
                    content = part.decodedBody();
                } catch (IllegalArgumentException e) {
                    throw new InvalidReportException("the " + media + " part cannot be decoded: " + e.getMessage());
                }
                return fromBody(media, content);
            }
        }
        throw new InvalidReportException("the multipart/report has no application/tlsrpt+gzip or application/tlsrpt+json part");
    }

    /** A report body of media type {@code application/tlsrpt+gzip} or {@code application/tlsrpt+json} (§5.4). */
    public static ReceivedReport fromBody(String mediaType, byte[] content) throws InvalidReportException {
        String media = mediaType == null ? "" : mediaType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        byte[] json = switch (media) {
            case "application/tlsrpt+gzip" -> gunzip(content);
            case "application/tlsrpt+json" -> content;
            default -> throw new InvalidReportException("a TLS report is application/tlsrpt+gzip or application/tlsrpt+json "
                    + "(RFC 8460 §6.4, §6.5), not " + (media.isEmpty() ? "an unlabelled body" : media));
        };
        if (json.length > MAX_JSON_BYTES) {
            throw new InvalidReportException("the report is larger than " + MAX_JSON_BYTES + " octets");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidReportException("the report is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidReportException("the report cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidReportException("the report is not a JSON object");
        }
        List<String> violations = ReportSchema.violations(node);
        if (!violations.isEmpty()) {
            throw new InvalidReportException("the report does not follow RFC 8460 §4.4: "
                    + String.join("; ", violations.subList(0, Math.min(3, violations.size())))
                    + (violations.size() > 3 ? " (and " + (violations.size() - 3) + " more)" : ""));
        }
        List<Policy> policies = new ArrayList<>();
        for (JsonNode p : node.get("policies")) {
            TreeSet<String> types = new TreeSet<>();
            Optional.ofNullable(p.get("failure-details")).ifPresent(d -> d.forEach(f -> types.add(f.get("result-type").asText())));
            policies.add(new Policy(p.at("/policy/policy-type").asText(), p.at("/policy/policy-domain").asText(),
                    p.at("/summary/total-successful-session-count").asLong(),
                    p.at("/summary/total-failure-session-count").asLong(), List.copyOf(types)));
        }
        try {
            return new ReceivedReport(node.get("organization-name").asText(), node.get("contact-info").asText(),
                    node.get("report-id").asText(), Instant.parse(node.at("/date-range/start-datetime").asText()),
                    Instant.parse(node.at("/date-range/end-datetime").asText()), policies, node);
        } catch (DateTimeParseException e) {
            // the schema's date-time allows offsets Instant.parse reads since Java 12; anything else lands here
            throw new InvalidReportException("the report's date-range is not RFC 3339: " + e.getParsedString());
        }
    }

    private static byte[] gunzip(byte[] gz) throws InvalidReportException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            byte[] out = in.readNBytes(MAX_JSON_BYTES + 1);
            if (out.length > MAX_JSON_BYTES) {
                throw new InvalidReportException("the report decompresses to more than " + MAX_JSON_BYTES + " octets");
            }
            return out;
        } catch (IOException e) {
            throw new InvalidReportException("the application/tlsrpt+gzip body is not gzip: " + e.getMessage());
        }
    }
}
