package dev.doublelock.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads SMTP lines from a stream with a size bound, treating only CRLF as a line ending (RFC 5321
 * 2.3.8). A bare LF or bare CR does not end a line: it stays in the content and the {@link Line} says it
 * was seen, so the caller can refuse it (this is what defeats SMTP smuggling). An overlong line is read
 * to its CRLF without storing the excess. The reader owns its buffer, so the caller can ask what a
 * client pipelined ({@link #hasCompleteLineBuffered()}) and drop it ({@link #discardBuffered()}, for
 * STARTTLS). Timeouts are the underlying stream's job. Not thread-safe.
 */
public final class SmtpLineReader {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    /**
     * One line without its CRLF.
     *
     * @param content   the first {@code maxLength} octets of the line (bare CR/LF and NUL included as sent)
     * @param overlong  the line was longer than the limit; {@code content} is truncated
     * @param bareLf    an LF not preceded by CR occurred
     * @param bareCr    a CR not followed by LF occurred
     * @param nul       a NUL octet occurred
     * @param rawLength octets of the whole line as sent, excluding the final CRLF
     */
    public record Line(byte[] content, boolean overlong, boolean bareLf, boolean bareCr, boolean nul, long rawLength) {
        /**
         * The content decoded as UTF-8, malformed sequences replaced by U+FFFD: for transcripts and messages
         * only, never for a value that is acted on (see {@link #strictText()}).
         */
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        /**
         * The content decoded as UTF-8 (RFC 3629), or empty if it is not valid UTF-8 (malformed or overlong
         * sequences, surrogates, code points beyond U+10FFFF). A command is acted on only in this form: a lossy
         * decoding would turn two different invalid addresses into the same U+FFFD string (RFC 6531 §3.3 allows
         * only well-formed UTF-8 in SMTPUTF8 addresses).
         */
        public java.util.Optional<String> strictText() {
            try {
                return java.util.Optional.of(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(content)).toString());
            } catch (java.nio.charset.CharacterCodingException e) {
                return java.util.Optional.empty();
            }
        }

        public boolean hasBareLineEnding() {
            return bareLf || bareCr;
        }

        /** No overlong, bare line ending or NUL problem. */
        public boolean isClean() {
            return !overlong && !bareLf && !bareCr && !nul;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line l && Arrays.equals(content, l.content) && overlong == l.overlong
                    && bareLf == l.bareLf && bareCr == l.bareCr && nul == l.nul && rawLength == l.rawLength;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(content) * 31 + Long.hashCode(rawLength);
        }

        @Override
        public String toString() {
            return "Line[" + text() + (overlong ? ", overlong" : "") + (bareLf ? ", bareLF" : "")
                    + (bareCr ? ", bareCR" : "") + (nul ? ", NUL" : "") + "]";
        }
    }

    public SmtpLineReader(InputStream in) {
        this(in, 8192);
    }

    public SmtpLineReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /**
     * Reads one CRLF-terminated line, keeping at most {@code maxLength} content octets.
     *
     * @throws EOFException if the stream ends before a CRLF (a partial line is dropped)
     */
    public Line readLine(int maxLength) throws IOException {
        byte[] content = new byte[Math.min(maxLength, 256)];
        int len = 0;
        long raw = 0;
        boolean bareLf = false;
        boolean bareCr = false;
        boolean nul = false;
        boolean pendingCr = false;
        while (true) {
            int b = next();
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    return new Line(Arrays.copyOf(content, len), raw > maxLength, bareLf, bareCr, nul, raw);
                }
                bareCr = true;
                if (len < maxLength) {
                    content = store(content, len++, (byte) '\r', maxLength);
                }
                raw++;
            }
            if (b == '\r') {
                pendingCr = true;
                continue;
            }
            if (b == '\n') {
                bareLf = true;
            } else if (b == 0) {
                nul = true;
            }
            if (len < maxLength) {
                content = store(content, len++, (byte) b, maxLength);
            }
            raw++;
        }
    }

    private static byte[] store(byte[] content, int at, byte b, int maxLength) {
        if (at == content.length) {
            content = Arrays.copyOf(content, Math.min(maxLength, content.length * 2));
        }
        content[at] = b;
        return content;
    }

    private int next() throws IOException {
        if (pos == limit) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                throw new EOFException("connection closed before CRLF");
            }
            pos = 0;
            limit = n;
        }
        return buf[pos++] & 0xff;
    }

    /**
     * Reads once if nothing is buffered: true if octets are buffered afterwards, false if the read timed out or the
     * stream ended (the next {@link #readLine} then sees the end). For "did the client send anything within …?".
     */
    public boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        try {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    /** Octets received but not yet returned as lines. */
    public int buffered() {
        return limit - pos;
    }

    /** True if a whole CRLF-terminated line is already buffered, i.e. the client pipelined it. */
    public boolean hasCompleteLineBuffered() {
        for (int i = pos; i + 1 < limit; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return true;
            }
        }
        return false;
    }

    /** Drops everything buffered and returns how many octets were dropped. */
    /** The octets read ahead and not yet consumed, removed from the buffer (the lab's injection profile keeps them). */
    public byte[] takeBuffered() {
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, limit);
        pos = limit;
        return out;
    }

    public int discardBuffered() {
        int n = limit - pos;
        pos = limit;
        return n;
    }
}
