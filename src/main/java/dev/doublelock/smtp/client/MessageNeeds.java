package dev.doublelock.smtp.client;

import dev.doublelock.smtp.MailPath;

import java.util.List;

/**
 * What a message and its envelope require from the server: 8BITMIME for octets above 127 (RFC 6152),
 * SMTPUTF8 for a non-ASCII address or non-ASCII header field (RFC 6531 3.2, RFC 6532), and whether its
 * line endings are all CRLF (a bare CR or LF could be read as a line end by the next hop: SMTP smuggling).
 */
record MessageNeeds(boolean eightBit, boolean smtpUtf8, String smtpUtf8Reason, int bareLineEndingAt) {

    static MessageNeeds of(byte[] message, MailPath from, List<MailPath> recipients) {
        boolean eightBit = false;
        for (byte b : message) {
            if (b < 0) {
                eightBit = true;
                break;
            }
        }
        String reason = null;
        if (from.address() != null && !from.address().isAscii()) {
            reason = "the sender address " + from + " is not ASCII";
        }
        for (MailPath r : recipients) {
            if (reason == null && !r.address().isAscii()) {
                reason = "the recipient address " + r + " is not ASCII";
            }
        }
        if (reason == null && eightBit && headerHasEightBit(message)) {
            reason = "a header field contains non-ASCII (UTF-8) text";
        }
        return new MessageNeeds(eightBit, reason != null, reason, bareLineEnding(message));
    }

    private static boolean headerHasEightBit(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] < 0) {
                return true;
            }
            if (i >= 3 && m[i] == '\n' && m[i - 1] == '\r' && m[i - 2] == '\n' && m[i - 3] == '\r') {
                return false;
            }
        }
        return false;
    }

    /** Offset of the first CR not followed by LF or LF not preceded by CR, or -1. */
    private static int bareLineEnding(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\r' && (i + 1 == m.length || m[i + 1] != '\n')) {
                return i;
            }
            if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) {
                return i;
            }
        }
        return -1;
    }
}
