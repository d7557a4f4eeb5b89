package dev.doublelock.policy.mtasts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One-line tables of good and bad MTA-STS records and policies, each bad case with its reason. */
class StsParseTest {

    @ParameterizedTest(name = "good record: {0}")
    @CsvSource(delimiter = '|', value = {
            "v=STSv1; id=20160831085700Z;       | 20160831085700Z",
            "v=STSv1;id=abc                     | abc",
            "v=STSv1; id=abc; ext=1.2;          | abc",
            "v=STSv1 ;\tid=abc\t;\t             | abc",
            "v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 | ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
    })
    void goodRecord(String txt, String id) {
        assertThat(StsRecord.parse(txt).id()).isEqualTo(id);
    }

    @ParameterizedTest(name = "bad record: {0} ({1})")
    @CsvSource(delimiter = '|', value = {
            "v=STSv1                              | missing id",
            "v=STSv1;                             | missing id",
            "id=abc; v=STSv1                      | must begin",                   // version must come first
            "v=STSv2; id=abc                      | must begin",
            "v=stsv1; id=abc                      | must begin",                   // case-sensitive
            "' v=STSv1; id=abc'                   | must begin",                   // no leading space
            "v=STSv1 id=abc                       | expected ';'",
            "v=STSv1; id=                         | id must be",
            "v=STSv1; id=abc-def                  | id must be",                   // only letters and digits
            "v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 | id must be",          // 33 characters
            "v=STSv1; id=a; id=b                  | duplicate id",
            "v=STSv1;; id=abc                     | empty field",
            "v=STSv1; id=abc;;                    | empty field",
            "v=STSv1; id=abc; _x=1                | bad extension name",
            "v=STSv1; id=abc; x=a=b               | bad value",                    // '=' not allowed in values
            "v=STSv1; id=abc; novalue             | not key=value",
    })
    void badRecord(String txt, String reason) {
        assertThatThrownBy(() -> StsRecord.parse(txt)).isInstanceOf(RecordSyntaxException.class).hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "good policy {index}")
    @CsvSource(delimiter = '|', value = {
            "version: STSv1\\nmode: enforce\\nmx: mail.example.com\\nmax_age: 86400\\n | ENFORCE | mail.example.com | 86400",
            "version: STSv1\\r\\nmode: testing\\r\\nmx: *.example.net\\r\\nmax_age: 0\\r\\n | TESTING | *.example.net | 0",
            "version: STSv1\\nmode: none\\nmax_age: 31557600                  | NONE    |                  | 31557600",
            "mode: enforce\\nmx: MX.Example.COM\\nversion: STSv1\\nmax_age: 1  | ENFORCE | mx.example.com   | 1",
            "version:STSv1\\nmode:\\tenforce\\nmx: a.example\\nmax_age: 60\\nfuture_key: whatever | ENFORCE | a.example | 60",
    })
    void goodPolicy(String body, StsPolicy.Mode mode, String mx, long maxAge) {
        StsPolicy p = StsPolicy.parse(unescape(body));
        assertThat(p).isEqualTo(new StsPolicy(mode, mx == null ? List.of() : List.of(mx), maxAge));
        assertThat(StsPolicy.parse(p.toText())).as("canonical text reads back").isEqualTo(p);
    }

    @org.junit.jupiter.api.Test
    void canonicalTextKeepsEveryMxPatternInOrder() {
        StsPolicy p = new StsPolicy(StsPolicy.Mode.TESTING, List.of("mx1.example", "*.mx.example"), 604_800);
        assertThat(p.toText()).isEqualTo("version: STSv1\nmode: testing\nmx: mx1.example\nmx: *.mx.example\n"
                + "max_age: 604800\n");
        assertThat(StsPolicy.parse(p.toText())).isEqualTo(p);
    }

    @ParameterizedTest(name = "bad policy: {1}")
    @CsvSource(delimiter = '|', value = {
            "mode: enforce\\nmx: a.example\\nmax_age: 60                          | missing \"version",
            "version: STSv2\\nmode: enforce\\nmx: a.example\\nmax_age: 60         | version must be STSv1",
            "version: STSv1\\nmx: a.example\\nmax_age: 60                         | missing mode",
            "version: STSv1\\nmode: strict\\nmx: a.example\\nmax_age: 60          | mode must be",
            "version: STSv1\\nmode: enforce\\nmx: a.example                       | missing max_age",
            "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 31557601   | exceeds",
            "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: -1         | max_age must be",
            "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 12345678901 | max_age must be",
            "version: STSv1\\nmode: enforce\\nmax_age: 60                         | needs at least one mx",
            "version: STSv1\\nmode: enforce\\nmx: *.*.example\\nmax_age: 60       | is not a host name",
            "version: STSv1\\nmode: enforce\\nmx: a.*.example\\nmax_age: 60       | is not a host name",
            "version: STSv1\\nmode: enforce\\nmx: example\\nmax_age: 60           | is not a host name",
            "version: STSv1\\nmode: enforce\\nmode: testing\\nmx: a.example\\nmax_age: 60 | duplicate key",
            "version: STSv1\\nmode enforce\\nmx: a.example\\nmax_age: 60          | not \"key: value\"",
            "version : STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 60        | bad key",
            "version: STSv1\\n\\nmode: enforce\\nmx: a.example\\nmax_age: 60      | not \"key: value\"",
    })
    void badPolicy(String body, String reason) {
        assertThatThrownBy(() -> StsPolicy.parse(unescape(body))).isInstanceOf(RecordSyntaxException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{0} vs {1} → {2}")
    @CsvSource({
            "mail.example.com, mail.example.com, true",
            "mail.example.com, MAIL.example.com., true",
            "mail.example.com, other.example.com, false",
            "*.example.com, mx1.example.com, true",
            "*.example.com, example.com, false",            // the wildcard needs one label
            "*.example.com, a.b.example.com, false",        // exactly one label, not more
            "*.example.com, xexample.com, false",
    })
    void mxMatching(String pattern, String host, boolean matches) {
        assertThat(new StsPolicy(StsPolicy.Mode.ENFORCE, List.of(pattern), 60).matchesMx(host)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "good TLS-RPT: {0}")
    @CsvSource(delimiter = '|', value = {
            "v=TLSRPTv1; rua=mailto:tlsrpt@example.com | 1",
            "v=TLSRPTv1;rua=mailto:a@example.com, https://reports.example.com/v1;  | 2",
            "v=TLSRPTv1; rua=https://r.example/x; future=1 | 1",
    })
    void goodTlsRpt(String txt, int uris) {
        assertThat(TlsRptRecord.parse(txt).rua()).hasSize(uris);
    }

    @ParameterizedTest(name = "bad TLS-RPT: {0} ({1})")
    @CsvSource(delimiter = '|', value = {
            "v=TLSRPTv1                          | missing rua",
            "v=TLSRPTv1; rua=http://example.com/ | must be a mailto: or https:",   // plain http is not allowed
            "v=TLSRPTv1; rua=mailto:a@b.example,  | must be a mailto: or https:",  // empty URI after comma
            "v=TLSRPTv2; rua=mailto:a@b.example  | must begin",
            "v=TLSRPTv1; rua=mailto:a@b; rua=mailto:c@d | duplicate rua",
    })
    void badTlsRpt(String txt, String reason) {
        assertThatThrownBy(() -> TlsRptRecord.parse(txt)).isInstanceOf(RecordSyntaxException.class)
                .hasMessageContaining(reason);
    }

    @org.junit.jupiter.api.Test
    void exactlyOneTlsRptRecordApplies() {
        assertThat(TlsRptRecord.select(List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@b.example")))
                .isInstanceOfSatisfying(TlsRptRecord.Published.One.class,
                        one -> assertThat(one.record().rua()).extracting(Object::toString).containsExactly("mailto:a@b.example"));
        assertThat(TlsRptRecord.select(List.of("v=spf1 -all"))).isInstanceOf(TlsRptRecord.Published.None.class);
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv1; rua=mailto:a@b.example", "v=TLSRPTv1; rua=mailto:c@d.example")))
                .isEqualTo(new TlsRptRecord.Published.Several(2));
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv1; rua=http://r.example/")))
                .isInstanceOfSatisfying(TlsRptRecord.Published.Invalid.class,
                        bad -> assertThat(bad.reason()).contains("must be a mailto: or https:"));
    }

    @org.junit.jupiter.api.Test
    void recordExtensionsAreKept() {
        assertThat(StsRecord.parse("v=STSv1; id=1; a.b-c=x").extensions()).isEqualTo(Map.of("a.b-c", "x"));
    }

    private static String unescape(String s) {
        return s.trim().replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
