package dev.doublelock.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The RFC 8460 report schema accepts the RFC's own example and what the relay writes, and refuses broken reports. */
class ReportSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String RFC_EXAMPLE = Rfc8460Example.REPORT;

    @Test
    void theRfcExampleConforms() throws Exception {
        assertThat(ReportSchema.violations(JSON.readTree(RFC_EXAMPLE))).isEmpty();
    }

    @Test
    void brokenReportsAreRefusedWithWhere() throws Exception {
        ObjectNode noOrg = (ObjectNode) JSON.readTree(RFC_EXAMPLE);
        noOrg.remove("organization-name");
        assertThat(ReportSchema.violations(noOrg)).anySatisfy(v -> assertThat(v).contains("organization-name"));

        ObjectNode badType = (ObjectNode) JSON.readTree(RFC_EXAMPLE);
        ((ObjectNode) badType.at("/policies/0/policy")).put("policy-type", "dane");
        assertThat(ReportSchema.violations(badType)).anySatisfy(v -> assertThat(v).contains("/policies/0/policy/policy-type"));

        ObjectNode badDate = (ObjectNode) JSON.readTree(RFC_EXAMPLE);
        ((ObjectNode) badDate.at("/date-range")).put("start-datetime", "1 April 2016");
        assertThat(ReportSchema.violations(badDate)).anySatisfy(v -> assertThat(v).contains("start-datetime"));

        ObjectNode negative = (ObjectNode) JSON.readTree(RFC_EXAMPLE);
        ((ObjectNode) negative.at("/policies/0/failure-details/1")).put("failed-session-count", -1);
        assertThat(ReportSchema.violations(negative)).anySatisfy(v -> assertThat(v).contains("failed-session-count"));

        ObjectNode unknownResult = (ObjectNode) JSON.readTree(RFC_EXAMPLE);
        ((ObjectNode) unknownResult.at("/policies/0/failure-details/0")).put("result-type", "it-broke");
        assertThat(ReportSchema.violations(unknownResult)).isNotEmpty();
    }

    @Test
    void whatTheRelayWritesConforms() {
        LocalDate day = LocalDate.of(2026, 12, 1);
        List<ResultCount> counts = List.of(
                new ResultCount(day, "sts", List.of("version: STSv1", "mode: enforce", "mx: mx.example.org", "max_age: 86400"),
                        "example.org", "mx.example.org", Optional.empty(), 41),
                new ResultCount(day, "sts", List.of("version: STSv1", "mode: enforce", "mx: mx.example.org", "max_age: 86400"),
                        "example.org", "mx.example.org", Optional.of(new SessionResult.Failure("certificate-expired",
                        "192.0.2.1", "mx.example.org", "198.51.100.7", "EXPIRED_CERTIFICATE")), 2),
                new ResultCount(day, "no-policy-found", List.of(), "example.org", "mx2.example.org",
                        Optional.of(new SessionResult.Failure("starttls-not-supported", "", "mx2.example.org", "", "")), 1));
        JsonNode json = new AggregateReport("Relay Org", "mailto:postmaster@relay.example", "2026-12-01.example.org@relay.example",
                day, "example.org", counts).json();
        assertThat(ReportSchema.violations(json)).as(json.toPrettyString()).isEmpty();
        assertThat(json.at("/policies").size()).isEqualTo(2);
    }
}
