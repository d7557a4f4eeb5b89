package dev.doublelock.message;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 5322 folding and dates, and the multipart/report structure, checked on the octets. */
class MessageTest {
    private static String unfold(String field) {
        return field.replace("\r\n", "").replaceAll("[ \t]+", " ");
    }

    @Test
    void shortFieldsStayOnOneLine() {
        assertThat(new HeaderField("Subject", "hello").folded()).isEqualTo("Subject: hello\r\n");
        assertThat(new HeaderField("Subject", "  two\r\n lines\n  ").folded()).as("line breaks cannot end the field")
                .isEqualTo("Subject: two lines\r\n");
    }

    @Test
    void longFieldsFoldBeforeWhiteSpaceWithin78AndNeverPast998() {
        String words = "word ".repeat(300).strip();
        String folded = new HeaderField("Diagnostic-Code", "smtp; " + words).folded();
        List<String> lines = List.of(folded.split("\r\n"));
        assertThat(lines).hasSizeGreaterThan(10).allMatch(l -> l.length() <= 78);
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.startsWith(" "));
        assertThat(unfold(folded)).isEqualTo("Diagnostic-Code: smtp; " + words);
        String token = "x".repeat(4_600);
        String cut = new HeaderField("Diagnostic-Code", "smtp; 550 " + token).folded();
        assertThat(cut.split("\r\n")).allMatch(l -> l.length() <= 998);
        assertThat(cut.replaceAll("[\r\n ]", "")).contains(token);
    }

    @Test
    void clausesStartTheirOwnContinuationLines() {
        String received = HeaderField.foldedClauses("Received", List.of("from a.test ([192.0.2.1])",
                "by b.test (doublelock) with ESMTPS id 42", "for <x@y.test>;", "Thu, 3 Dec 2026 13:00:00 +0000"));
        assertThat(received).isEqualTo("Received: from a.test ([192.0.2.1])\r\n\tby b.test (doublelock) with ESMTPS id 42"
                + "\r\n\tfor <x@y.test>;\r\n\tThu, 3 Dec 2026 13:00:00 +0000\r\n");
        assertThat(HeaderField.foldedClauses("Received", List.of("by " + "long ".repeat(40))).split("\r\n"))
                .allMatch(l -> l.length() <= 78);
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> new HeaderField("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeaderField("Bad:", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void datesUseANumericZone() {
        assertThat(MessageDate.format(Instant.parse("2026-02-03T09:05:00Z"))).isEqualTo("Tue, 3 Feb 2026 09:05:00 +0000");
    }

    @Test
    void bodyTextIsCrlfAndWrappedKeepingIndents() {
        String wrapped = BodyText.wrap("first\n    " + "indented words ".repeat(20) + "\nlast\n");
        assertThat(wrapped).doesNotContain("\n\n").endsWith("last\r\n");
        assertThat(wrapped.split("\r\n")).allMatch(l -> l.length() <= 78);
        assertThat(wrapped.split("\r\n")[2]).startsWith("    indented");
        assertThat(BodyText.wrap("a\n\nb")).isEqualTo("a\r\n\r\nb\r\n");
    }

    @Test
    void aMultipartReportHasItsPartsBetweenBoundariesAndBase64Attachments() {
        byte[] gz = new byte[300];
        for (int i = 0; i < gz.length; i++) gz[i] = (byte) i;
        MultipartReport report = new MultipartReport("tlsrpt").text(null, "This is an aggregate TLS report.")
                .attachment("application/tlsrpt+gzip", "a!b!1!2.json.gz", gz);
        byte[] mail = Message.builder().header("From", "tlsrpt@relay.test").date(Instant.EPOCH)
                .header("Subject", "Report Domain: b Submitter: a Report-ID: <1@a>").body(report).build().toBytes();
        String text = new String(mail, StandardCharsets.US_ASCII);
        String boundary = report.contentType().replaceAll(".*boundary=\"([^\"]+)\".*", "$1");
        assertThat(text).contains("Content-Type: multipart/report; report-type=tlsrpt;")
                .contains("MIME-Version: 1.0\r\n").contains("Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n")
                .contains("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n")
                .contains("Content-Disposition: attachment; filename=\"a!b!1!2.json.gz\"").endsWith("\r\n--" + boundary + "--\r\n");
        String b64 = text.substring(text.indexOf("base64\r\n\r\n") + 10, text.lastIndexOf("\r\n--" + boundary + "--"));
        assertThat(b64.split("\r\n")).allMatch(l -> l.length() <= 76);
        assertThat(Base64.getMimeDecoder().decode(b64)).isEqualTo(gz);
        assertThat(text.split("\r\n")).allMatch(l -> l.length() <= 998);
        assertThatThrownBy(() -> new MultipartReport("delivery-status").toBytes()).isInstanceOf(IllegalStateException.class);
    }
}
