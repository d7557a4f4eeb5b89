package dev.doublelock.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpLineReaderTest {

    private static SmtpLineReader reader(String s) {
        return new SmtpLineReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), 16);
    }

    @Test
    void strictTextRefusesWhatTheLossyDecodingTurnsIntoTheSameString() throws IOException {
        byte[] wire = "<a\u0080@x>\r\n<a\u00ff@x>\r\n<j\u00c3\u00b6rg@x>\r\n<\u00f0\u009f\u0098\u0080@x>\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        SmtpLineReader r = new SmtpLineReader(new ByteArrayInputStream(wire));
        SmtpLineReader.Line a = r.readLine(100);
        SmtpLineReader.Line b = r.readLine(100);
        assertThat(a.text()).isEqualTo(b.text()).as("two different addresses, one lossy string").contains("\uFFFD");
        assertThat(a.strictText()).isEmpty();
        assertThat(b.strictText()).isEmpty();
        assertThat(r.readLine(100).strictText()).contains("<j\u00f6rg@x>");
        assertThat(r.readLine(100).strictText()).contains("<\uD83D\uDE00@x>");
    }

    @Test
    void onlyCrlfEndsALine() throws IOException {
        SmtpLineReader r = reader("a\nb\rc\r\nclean\r\n");
        SmtpLineReader.Line first = r.readLine(100);
        assertThat(first.text()).isEqualTo("a\nb\rc");
        assertThat(first.bareLf()).isTrue();
        assertThat(first.bareCr()).isTrue();
        assertThat(first.isClean()).isFalse();
        SmtpLineReader.Line second = r.readLine(100);
        assertThat(second.text()).isEqualTo("clean");
        assertThat(second.isClean()).isTrue();
    }

    @Test
    void crBeforeCrlfIsBareAndCrlfSplitAcrossBuffersWorks() throws IOException {
        SmtpLineReader r = reader("x".repeat(15) + "\r\r\n" + "y".repeat(15) + "\r\nz\r\n");
        SmtpLineReader.Line first = r.readLine(100);
        assertThat(first.text()).isEqualTo("x".repeat(15) + "\r");
        assertThat(first.bareCr()).isTrue();
        assertThat(r.readLine(100).text()).isEqualTo("y".repeat(15));
        assertThat(r.readLine(100).text()).isEqualTo("z");
    }

    @Test
    void overlongLineIsTruncatedAndConsumedToItsEnd() throws IOException {
        SmtpLineReader r = reader("0123456789ABCDEF\r\nnext\r\n");
        SmtpLineReader.Line line = r.readLine(10);
        assertThat(line.overlong()).isTrue();
        assertThat(line.text()).isEqualTo("0123456789");
        assertThat(line.rawLength()).isEqualTo(16);
        assertThat(r.readLine(10).text()).isEqualTo("next");
    }

    @Test
    void lineOfExactlyTheLimitIsNotOverlong() throws IOException {
        assertThat(reader("0123456789\r\n").readLine(10).overlong()).isFalse();
    }

    @Test
    void nulIsDetected() throws IOException {
        assertThat(reader("a\0b\r\n").readLine(10).nul()).isTrue();
    }

    @Test
    void endOfStreamMidLineIsEof() {
        assertThatThrownBy(() -> reader("partial").readLine(10)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("").readLine(10)).isInstanceOf(EOFException.class);
    }

    @Test
    void bufferedPipelinedInputIsVisibleAndCanBeDiscarded() throws IOException {
        InputStream in = new ByteArrayInputStream("STARTTLS\r\nRSET\r\n".getBytes(StandardCharsets.US_ASCII));
        SmtpLineReader r = new SmtpLineReader(in);
        assertThat(r.readLine(100).text()).isEqualTo("STARTTLS");
        assertThat(r.hasCompleteLineBuffered()).isTrue();
        assertThat(r.discardBuffered()).isEqualTo(6);
        assertThat(r.buffered()).isZero();
        assertThat(r.hasCompleteLineBuffered()).isFalse();
    }
}
