package dev.doublelock.smtp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Transparency for DATA (RFC 5321 4.5.2): a sender doubles a leading "." on every line; the receiver
 * removes it. Only CRLF counts as a line boundary here, matching {@link SmtpLineReader}.
 */
public final class DotStuffing {
    private DotStuffing() {
    }

    /** Receiver side: one line's content without its CRLF, the leading dot removed if there is one. */
    public static byte[] unstuffLine(byte[] line) {
        return line.length > 0 && line[0] == '.' ? Arrays.copyOfRange(line, 1, line.length) : line;
    }

    /** True for the end-of-data line (a single "." between CRLFs). */
    public static boolean isEndOfData(byte[] line) {
        return line.length == 1 && line[0] == '.';
    }

    /**
     * Sender side: the DATA payload for {@code message} including the final ".CRLF". Dots at the start
     * of CRLF-separated lines are doubled; a message not ending in CRLF gets one.
     */
    public static byte[] encode(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n' && i > 0 && message[i - 1] == '\r';
        }
        if (message.length > 0 && !lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Receiver side for a whole payload (lines ending CRLF, up to but excluding ".CRLF"). */
    public static byte[] decode(byte[] stuffed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stuffed.length);
        boolean lineStart = true;
        for (int i = 0; i < stuffed.length; i++) {
            byte b = stuffed[i];
            if (!(lineStart && b == '.')) {
                out.write(b);
            }
            lineStart = b == '\n' && i > 0 && stuffed[i - 1] == '\r';
        }
        return out.toByteArray();
    }
}
