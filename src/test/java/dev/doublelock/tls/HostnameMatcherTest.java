package dev.doublelock.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostnameMatcherTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2} ({3})")
    @CsvSource(delimiter = '|', textBlock = """
            mx.example.org      | mx.example.org   | true  | exact
            MX.Example.ORG      | mx.example.org   | true  | case-insensitive
            mx.example.org.     | mx.example.org   | true  | trailing dot presented
            mx.example.org      | mx.example.org.  | true  | trailing dot reference
            *.example.org       | mx.example.org   | true  | wildcard left-most label
            *.example.org       | example.org      | false | wildcard needs one label
            *.example.org       | a.mx.example.org | false | wildcard matches exactly one label
            mx*.example.org     | mx1.example.org  | false | partial wildcard not honoured
            mx.*.example.org    | mx.a.example.org | false | wildcard not left-most
            *.org               | example.org      | false | wildcard over a public suffix-ish single label
            mx.example.org      | mx.example.com   | false | different name
            mx.example.org      | *.example.org    | false | reference must not be a wildcard
            abc.xy              | localhost        | false | lab wrong-host
            mx.example.org      | ''               | false | empty reference
            """)
    void dnsTable(String presented, String reference, boolean expected, String reason) {
        assertThat(HostnameMatcher.dnsMatches(presented, reference)).as(reason).isEqualTo(expected);
    }

    @Test
    void dnsSanWinsOverCnAndCnIsOnlyAnOptInFallback() {
        var withSan = CertFixture.cert("CN=cn.example.org").dns("san.example.org").build().cert();
        assertThat(HostnameMatcher.matches(withSan, "san.example.org")).isTrue();
        assertThat(HostnameMatcher.matches(withSan, "cn.example.org")).as("CN ignored when DNS-ID present").isFalse();
        assertThat(HostnameMatcher.matches(withSan, "cn.example.org", true)).as("even with the fallback").isFalse();

        // Issue 9 item 8 (lab profile cn-only): RFC 9525 dropped the CN-ID, so the default no longer falls back.
        var cnOnly = CertFixture.cert("CN=mx.example.org").build().cert();
        assertThat(HostnameMatcher.matches(cnOnly, "mx.example.org")).as("RFC 9525: CN never used by default").isFalse();
        assertThat(HostnameMatcher.matches(cnOnly, "mx.example.org", false)).isFalse();
        assertThat(HostnameMatcher.matches(cnOnly, "mx.example.org", true)).as("RFC 6125 §6.4.4 fallback, opt-in").isTrue();
        assertThat(HostnameMatcher.matches(cnOnly, "localhost", true)).isFalse();
    }

    @Test
    void aWildcardNeverSpansTwoLabels() {
        // lab profile wildcard-too-deep: *.deep.localhost served, a.b.deep.localhost expected
        var wildcard = CertFixture.cert("CN=*.deep.localhost").dns("*.deep.localhost").build().cert();
        assertThat(HostnameMatcher.matches(wildcard, "x.deep.localhost")).isTrue();
        assertThat(HostnameMatcher.matches(wildcard, "a.b.deep.localhost")).isFalse();
        assertThat(HostnameMatcher.matches(wildcard, "a.b.deep.localhost", true)).isFalse();
        assertThat(HostnameMatcher.matches(wildcard, "deep.localhost")).isFalse();
    }

    @Test
    void ipReferenceMatchesOnlyIpSans() {
        var c = CertFixture.cert("CN=127.0.0.1").dns("localhost").ip("127.0.0.1", "::1").build().cert();
        assertThat(HostnameMatcher.matches(c, "127.0.0.1")).isTrue();
        assertThat(HostnameMatcher.matches(c, "::1")).isTrue();
        assertThat(HostnameMatcher.matches(c, "[0:0:0:0:0:0:0:1]")).isTrue();
        assertThat(HostnameMatcher.matches(c, "127.0.0.2")).isFalse();
        var cnIp = CertFixture.cert("CN=127.0.0.1").build().cert();
        assertThat(HostnameMatcher.matches(cnIp, "127.0.0.1")).as("IP never matched against CN").isFalse();
        assertThat(HostnameMatcher.matches(c, "localhost.")).isTrue();
    }
}
