package dev.doublelock.queue;

import java.nio.charset.StandardCharsets;

/**
 * Finds the {@code Message-ID} header (RFC 5322 §3.6.4) in raw message bytes, for logs and queue
 * listings. Reads only the header section, at most {@link #SCAN_LIMIT} bytes; unfolds continuation
 * lines. Never fails: a message without one, or with a malformed header section, yields {@code ""}.
 */
final class MessageIdHeader {

    static final int SCAN_LIMIT = 256 * 1024;
    private static final int MAX_VALUE = 998;

    private MessageIdHeader() {
    }

    static String find(byte[] message) {
        int end = Math.min(message.length, SCAN_LIMIT);
        int lineStart = 0;
        String found = null;
        StringBuilder value = null; // non-null while collecting a (folded) Message-ID value
        while (lineStart < end) {
            int lineEnd = lineStart;
            while (lineEnd < end && message[lineEnd] != '\n') {
                lineEnd++;
            }
            int contentEnd = lineEnd > lineStart && message[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            String line = new String(message, lineStart, contentEnd - lineStart, StandardCharsets.UTF_8);
            if (line.isEmpty()) {
                break; // end of the header section
            }
            boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (value != null && continuation) {
                value.append(' ').append(line.strip());
            } else {
                if (value != null) {
                    found = value.toString();
                    value = null;
                }
                if (found == null && line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                    value = new StringBuilder(line.substring(11).strip());
                }
            }
            if (found != null) {
                break;
            }
            lineStart = lineEnd + 1;
        }
        if (found == null && value != null) {
            found = value.toString();
        }
        if (found == null) {
            return "";
        }
        found = found.strip();
        return found.length() > MAX_VALUE ? found.substring(0, MAX_VALUE) : found;
    }
}
