package dev.doublelock.smtp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DotStuffingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void encodeDoublesLeadingDotsAndTerminates() {
        assertThat(s(DotStuffing.encode(b(".a\r\nb\r\n.\r\n")))).isEqualTo("..a\r\nb\r\n..\r\n.\r\n");
        assertThat(s(DotStuffing.encode(b("no newline")))).isEqualTo("no newline\r\n.\r\n");
        assertThat(s(DotStuffing.encode(b("x\n.y\r\n")))).as("bare LF is not a line start").isEqualTo("x\n.y\r\n.\r\n");
    }

    @Test
    void decodeInvertsEncode() {
        byte[] msg = b(".a\r\n..b\r\nc.\r\n");
        byte[] wire = DotStuffing.encode(msg);
        byte[] payload = java.util.Arrays.copyOf(wire, wire.length - 3);
        assertThat(s(DotStuffing.decode(payload))).isEqualTo(s(msg));
    }

    @Test
    void lineHelpers() {
        assertThat(s(DotStuffing.unstuffLine(b("..x")))).isEqualTo(".x");
        assertThat(s(DotStuffing.unstuffLine(b("x.")))).isEqualTo("x.");
        assertThat(DotStuffing.isEndOfData(b("."))).isTrue();
        assertThat(DotStuffing.isEndOfData(b(".."))).isFalse();
    }
}
