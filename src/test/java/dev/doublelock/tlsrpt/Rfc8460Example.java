package dev.doublelock.tlsrpt;

/** Test data: the example report of RFC 8460 Appendix B, its additional-information URL without the line break. */
public final class Rfc8460Example {
    private Rfc8460Example() {
    }

    /** RFC 8460 Appendix B's example report (mx-host a string, as printed there). */
    public static final String REPORT = """
            {
              "organization-name": "Company-X",
              "date-range": {"start-datetime": "2016-04-01T00:00:00Z", "end-datetime": "2016-04-01T23:59:59Z"},
              "contact-info": "sts-reporting@company-x.example",
              "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
              "policies": [{
                "policy": {
                  "policy-type": "sts",
                  "policy-string": ["version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"],
                  "policy-domain": "company-y.example",
                  "mx-host": "*.mail.company-y.example"
                },
                "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
                "failure-details": [{
                  "result-type": "certificate-expired",
                  "sending-mta-ip": "2001:db8:abcd:0012::1",
                  "receiving-mx-hostname": "mx1.mail.company-y.example",
                  "failed-session-count": 100
                }, {
                  "result-type": "starttls-not-supported",
                  "sending-mta-ip": "2001:db8:abcd:0013::1",
                  "receiving-mx-hostname": "mx2.mail.company-y.example",
                  "receiving-ip": "203.0.113.56",
                  "failed-session-count": 200,
                  "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
                }, {
                  "result-type": "validation-failure",
                  "sending-mta-ip": "198.51.100.62",
                  "receiving-ip": "203.0.113.58",
                  "receiving-mx-hostname": "mx-backup.mail.company-y.example",
                  "failed-session-count": 3,
                  "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"
                }]
              }]
            }
            """;
}
