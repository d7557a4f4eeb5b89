package dev.doublelock.lab;

import dev.doublelock.tlsrpt.ReceivedReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Reported the DANE failure: yes/no" per reporting organization, beside its sender's DANE scenario results: the
 * organization is the sender's when its report came from the sender's address or names it as sending-mta-ip.
 */
class DaneReportingTest {
    static SessionRecord session(LabProfile p, String ip, String ehlo, Verdict v) {
        return new SessionRecord(-1, "s", Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:01Z"),
                p.profileName(), 2525, ip, ehlo, "established", "TLSv1.3", null, null, null, false, "a@relay.test",
                List.of("x@lab.test"), 10, null, null, v.failsTest() || v == Verdict.DELIVERED ? 1 : 0, 0, "QUIT", v, null, List.of());
    }

    /** An RFC 8460 report (§4.4 fields) for one tlsa policy with one failure. */
    static ReceivedReport report(String org, String domain, String resultType, String sendingIp) throws Exception {
        String json = """
                {"organization-name": "%s", "date-range": {"start-datetime": "2026-12-01T00:00:00Z",
                 "end-datetime": "2026-12-01T23:59:59Z"}, "contact-info": "mailto:postmaster@relay.test",
                 "report-id": "r-%s", "policies": [{"policy": {"policy-type": "tlsa", "policy-string": ["3 1 1 AA"],
                 "policy-domain": "%s"}, "summary": {"total-successful-session-count": 0, "total-failure-session-count": 1},
                 "failure-details": [{"result-type": "%s", "sending-mta-ip": "%s", "receiving-mx-hostname": "%s",
                 "failed-session-count": 1}]}]}
                """.formatted(org, domain, domain, resultType, sendingIp, domain);
        return ReceivedReport.fromBody("application/tlsrpt+json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOrganizationReportedTheFailuresItsReportsCountAndNotTheOthers() throws Exception {
        List<SessionRecord> sessions = List.of(
                session(LabProfile.DANE_EE, "192.0.2.7", "mx.relay.test", Verdict.DELIVERED),
                session(LabProfile.DANE_NOT_MATCHING, "192.0.2.7", "mx.relay.test", Verdict.REFUSED_AT_HANDSHAKE),
                session(LabProfile.DANE_SERVFAIL, "192.0.2.7", "mx.relay.test", Verdict.DELIVERED_DESPITE_DANE));
        ResultsMatrix.Row row = ResultsMatrix.of(sessions).rows().getFirst();
        List<TlsReportRecord> reports = List.of(
                // by mail from another address, but naming the sender in its failure details
                new TlsReportRecord(1, Instant.parse("2026-12-02T01:00:00Z"), TlsReportRecord.Via.MAIL, "198.51.100.1",
                        report("relay.test", "dane-not-matching.lab.test", "certificate-not-trusted", "192.0.2.7")),
                // someone else's report about another sender
                new TlsReportRecord(2, Instant.parse("2026-12-02T01:00:00Z"), TlsReportRecord.Via.POST, "203.0.113.9",
                        report("other.test", "dane-expired-rrsig.lab.test", "dnssec-invalid", "203.0.113.9")));
        List<DaneReporting> out = DaneReporting.of(row, reports);
        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.organization()).isEqualTo("relay.test");
            // the scenarios it had to defer and did not deliver to: six it never connected to, dane-not-matching it refused
            assertThat(d.scenarios()).extracting(s -> s.profile()).doesNotContain(LabProfile.DANE_SERVFAIL, LabProfile.DANE_EE)
                    .contains(LabProfile.DANE_NOT_MATCHING, LabProfile.DANE_EXPIRED_RRSIG);
            assertThat(d.scenarios()).filteredOn(DaneReporting.Scenario::reported).extracting(DaneReporting.Scenario::profile)
                    .containsExactly(LabProfile.DANE_NOT_MATCHING);
        });
        List<Map<String, Object>> summary = TlsReportSummary.of(reports, List.of(row));
        assertThat(summary).extracting(m -> m.get("organization")).containsExactlyInAnyOrder("relay.test", "other.test");
        assertThat(summary.stream().filter(m -> m.get("organization").equals("other.test")).findFirst().orElseThrow()
                .get("dane")).asList().isEmpty();
        assertThat(summary.stream().filter(m -> m.get("organization").equals("relay.test")).findFirst().orElseThrow()
                .get("dane").toString()).contains("reported the DANE failure at dane-not-matching: yes",
                "reported the DANE failure at dane-broken-rrsig: no");
    }
}
