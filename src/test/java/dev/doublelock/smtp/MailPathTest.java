package dev.doublelock.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailPathTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "<a@example.org>|<a@example.org>",
            "<>|<>",
            " <a@example.org>|<a@example.org>",
            "<first.last+tag@sub.example.org>|<first.last+tag@sub.example.org>",
            "<\"john doe\"@example.org>|<\"john doe\"@example.org>",
            "<@relay1,@relay2:user@example.org>|<user@example.org>",
            "<user@[192.0.2.1]>|<user@[192.0.2.1]>",
            "<user@[IPv6:2001:db8::1]>|<user@[IPv6:2001:db8::1]>",
            "<jösé@bücher.example>|<jösé@bücher.example>",
    })
    void goodReversePaths(String input, String wire) throws Exception {
        assertThat(MailPath.parseReversePath(input).path().toWire()).isEqualTo(wire);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "a@example.org",          // no brackets
            "<a@example.org",         // unclosed
            "<a@>",                   // no domain
            "<@example.org>",         // source route without mailbox
            "<a..b@example.org>",     // double dot
            "<.a@example.org>",       // leading dot
            "<a b@example.org>",      // space
            "<a@-example.org>",       // label starts with hyphen
            "<a@exa_mple.org>",       // underscore in domain
            "<a@[999.0.0.1]>",        // bad IPv4 literal
            "<a@example.org>SIZE=1",  // no space before parameters
            "<a@example.org> SIZE=",  // empty value
            "<a@example.org> SIZE=1 SIZE=2", // duplicate
            "<\"unterminated@example.org>",
    })
    void badReversePaths(String input) {
        assertThatThrownBy(() -> MailPath.parseReversePath(input)).isInstanceOf(AddressSyntaxException.class);
    }

    @Test
    void lengthLimitsOfRfc5321AreEnforced() throws Exception {
        String local64 = "l".repeat(64);
        assertThat(MailPath.parseForwardPath("<" + local64 + "@example.org>").path().address().localPart()).hasSize(64);
        assertThatThrownBy(() -> MailPath.parseForwardPath("<" + local64 + "l@example.org>"))
                .hasMessageContaining("64");
        String label = "d".repeat(63);
        String domain255 = label + "." + label + "." + label + "." + label;
        assertThat(EmailAddress.parse("a@" + domain255).domain()).hasSize(255);
        assertThatThrownBy(() -> EmailAddress.parse("a@" + domain255 + ".a")).hasMessageContaining("255");
        String longPath = "<" + local64 + "@" + domain255 + ">";
        assertThatThrownBy(() -> MailPath.parseForwardPath(longPath)).hasMessageContaining("256");
    }

    @Test
    void parametersAreParsedWithTypedAccessors() throws Exception {
        MailPath.WithParameters p = MailPath.parseReversePath("<a@example.org> size=1234 BODY=8bitmime SMTPUTF8");
        assertThat(p.parameters()).containsOnlyKeys("SIZE", "BODY", "SMTPUTF8");
        assertThat(p.size()).hasValue(1234);
        assertThat(p.body()).contains("8BITMIME");
        assertThat(p.smtpUtf8()).isTrue();
        assertThatThrownBy(() -> MailPath.parseReversePath("<a@example.org> BODY=binary").body())
                .hasMessageContaining("7BIT or 8BITMIME");
        assertThatThrownBy(() -> MailPath.parseReversePath("<a@example.org> SIZE=-1").size())
                .hasMessageContaining("decimal");
    }

    @Test
    void forwardPathAllowsPostmasterButNotTheNullPath() throws Exception {
        assertThat(MailPath.parseForwardPath("<Postmaster>").path().address().isPostmasterWithoutDomain()).isTrue();
        assertThatThrownBy(() -> MailPath.parseForwardPath("<>")).hasMessageContaining("null path");
        assertThat(MailPath.parseReversePath("<>").path().isNull()).isTrue();
    }
}
