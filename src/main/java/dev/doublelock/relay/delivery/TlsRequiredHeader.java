package dev.doublelock.relay.delivery;

import java.nio.charset.StandardCharsets;

/**
 * Finds a {@code TLS-Required: No} header field (RFC 8689 §5) in a message's header section: the sender asks
 * that TLS policy refusals be waived for this message (e.g. a report about a broken TLS setup).
 */
final class TlsRequiredHeader {
    private TlsRequiredHeader() {
    }

    static boolean saysNo(byte[] message) {
        int end = message.length;
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                end = i;
                break;
            }
        }
        String header = new String(message, 0, end, StandardCharsets.ISO_8859_1).replaceAll("\r\n[ \t]+", " ");
        for (String line : header.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("TLS-Required")
                    && line.substring(colon + 1).strip().equalsIgnoreCase("No")) {
                return true;
            }
        }
        return false;
    }
}
