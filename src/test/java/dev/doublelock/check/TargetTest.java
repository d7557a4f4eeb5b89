package dev.doublelock.check;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "example.org            | example.org",
            "Example.ORG.           | example.org",
            "bücher.example         | xn--bcher-kva.example",
            "mx.example.org:25      | mx.example.org:25",
            "MX.Example.org:2525    | mx.example.org:2525",
            "192.0.2.1:25           | 192.0.2.1:25",
            "[2001:DB8::1]:25       | [2001:db8::1]:25",
            "bücher.example:587     | xn--bcher-kva.example:587",
            "smtps://MX.example.org | smtps://mx.example.org:465",
            "SMTPS://192.0.2.1:4650 | smtps://192.0.2.1:4650",
            "smtp://mx.example.org  | smtp://mx.example.org:25",
            "tls://192.0.2.1:443    | tls://192.0.2.1:443",
            "smtps://[2001:db8::1]  | smtps://[2001:db8::1]:465"})
    void good(String text, String display) {
        assertThat(Target.parse(text).display()).isEqualTo(display);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                      // empty
            "192.0.2.1",             // IP without port
            "mx.example.org:0",      // port out of range
            "mx.example.org:70000",  // port out of range
            "mx.example.org:smtp",   // port not a number
            "2001:db8::1:25",        // IPv6 without brackets
            "[2001:db8::1]",         // IPv6 without port
            "[zz::1]:25",            // not IPv6
            "300.1.1.1:25",          // not IPv4
            "exa mple.org",          // space
            "-bad.example",          // leading hyphen
            "<script>.example",      // markup
            "tls://192.0.2.1",       // plain TLS has no default port
            "imap://mx.example.org", // unknown scheme
            "smtps://"})             // no host
    void bad(String text) {
        assertThatThrownBy(() -> Target.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give a mail domain");
    }

    @ParameterizedTest
    @CsvSource({"example.org,true", "mx.example.org:25,false", "smtps://example.org,false"})
    void kind(String text, boolean domain) {
        assertThat(Target.parse(text) instanceof Target.Domain).isEqualTo(domain);
    }

    @ParameterizedTest
    @CsvSource({"mx.example.org:25,", "smtp://mx.example.org,SMTP_STARTTLS", "smtps://mx.example.org,IMPLICIT_TLS",
            "tls://mx.example.org:993,PLAIN_TLS"})
    void transport(String text, String transport) {
        Target.Endpoint e = (Target.Endpoint) Target.parse(text);
        assertThat(e.transport().map(Enum::name).orElse(null)).isEqualTo(transport);
    }
}
