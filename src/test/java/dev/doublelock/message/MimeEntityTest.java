package dev.doublelock.message;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading messages back: what {@link Message} and {@link MultipartReport} write, and what other mailers send. */
class MimeEntityTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsBackWhatTheMessageHomeWrites() {
        byte[] gz = {31, -117, 8, 0, 1, 2, 3, 0, -1};
        byte[] mail = Message.builder().header("From", "a <a@x.test>").header("Subject", "s".repeat(120))
                .date(Instant.parse("2026-12-01T00:00:00Z"))
                .body(new MultipartReport("tlsrpt").text(null, "hello").attachment("application/tlsrpt+gzip", "r.json.gz", gz))
                .build().toBytes();
        MimeEntity m = MimeEntity.parse(mail);
        assertThat(m.header("subject")).contains("s".repeat(120));
        assertThat(m.contentType().type()).isEqualTo("multipart/report");
        assertThat(m.contentType().parameter("report-type")).contains("tlsrpt");
        assertThat(m.parts()).hasSize(2);
        assertThat(new String(m.parts().get(0).decodedBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(m.parts().get(1).contentType().type()).isEqualTo("application/tlsrpt+gzip");
        assertThat(m.parts().get(1).decodedBody()).isEqualTo(gz);
    }

    @Test
    void foldedQuotedAndBareLfMessagesNestedPartsAndQuotedPrintable() {
        String raw = "Content-Type: multipart/mixed;\n\tboundary=\"b;1\"\nX-Long: one\n two\n\npreamble\n--b;1\n"
                + "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 soft=\nbreak\n--b;1\n"
                + "Content-Type: multipart/alternative; boundary=inner\n\n--inner\n\ninner text\n--inner--\n--b;1--\nepilogue\n";
        MimeEntity m = MimeEntity.parse(bytes(raw));
        assertThat(m.header("X-LONG")).contains("one two");
        assertThat(m.contentType().parameter("boundary")).contains("b;1");
        assertThat(m.parts()).hasSize(2);
        assertThat(new String(m.parts().get(0).decodedBody(), StandardCharsets.UTF_8)).isEqualTo("café softbreak");
        assertThat(m.parts().get(1).parts()).singleElement()
                .satisfies(p -> assertThat(new String(p.decodedBody(), StandardCharsets.UTF_8)).isEqualTo("inner text"));
        assertThat(m.parts().get(1).parts().getFirst().contentType().type()).as("RFC 2045 default").isEqualTo("text/plain");
    }

    @Test
    void hostileInputIsBoundedAndRefusedClearly() {
        StringBuilder many = new StringBuilder("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
        for (int i = 0; i < 500; i++) many.append("--x\r\n\r\npart ").append(i).append("\r\n");
        assertThat(MimeEntity.parse(bytes(many.toString())).parts()).hasSize(MimeEntity.MAX_PARTS);
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 20; i++) deep.append("Content-Type: multipart/mixed; boundary=d").append(i).append("\r\n\r\n--d").append(i).append("\r\n");
        MimeEntity e = MimeEntity.parse(bytes(deep.toString()));
        int depth = 0;
        while (!e.parts().isEmpty()) {
            e = e.parts().getFirst();
            depth++;
        }
        assertThat(depth).isEqualTo(MimeEntity.MAX_DEPTH);
        assertThat(MimeEntity.parse(bytes("Subject: no body")).decodedBody()).isEmpty();
        assertThat(MimeEntity.parse(bytes("Content-Type: multipart/mixed\r\n\r\nno boundary")).parts()).isEmpty();
        assertThatThrownBy(() -> MimeEntity.parse(bytes("Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin")).decodedBody())
                .hasMessageContaining("RFC 2045");
        // characters outside the alphabet are skipped (RFC 2045 §6.8); a cut-off last unit is an error
        assertThatThrownBy(() -> MimeEntity.parse(bytes("Content-Transfer-Encoding: base64\r\n\r\nQUJDR")).decodedBody())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
