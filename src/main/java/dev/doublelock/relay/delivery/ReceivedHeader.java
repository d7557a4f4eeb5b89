package dev.doublelock.relay.delivery;

import dev.doublelock.message.HeaderField;
import dev.doublelock.message.MessageDate;

import dev.doublelock.queue.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The trace header the relay prepends when it hands on a message that it did not receive over SMTP (a DSN, a
 * delay notice, a message put into the queue directly), naming the relay, the queue id and the TLS actually
 * used for this hop, e.g.
 * {@code Received: by relay.example.org (doublelock relay) with ESMTPS (TLSv1.3 TLS_AES_128_GCM_SHA256)
 * id 42; Tue, 3 Feb 2026 10:00:00 GMT}, folded.
 *
 * <p>A message that came in through the relay's intake already carries the intake's time stamp line
 * ({@code Received: from … by HOST (doublelock) with …}): RFC 5321 §4.4 asks each SMTP server that receives a
 * message to insert one trace record, and the SMTP client that sends it on adds none (the next hop records how
 * it received the message, TLS included). So one pass through the relay adds exactly one Received header.
 */
final class ReceivedHeader {
    /** The comment after the host name in the intake's Received header ({@code relay.intake.ReceivedHeader}). */
    private static final String INTAKE_MARK = " (doublelock) with ";
    private static final byte[] NONE = new byte[0];
    /** How far into the message the first header field is looked for. */
    private static final int FIRST_FIELD_LIMIT = 4096;

    private ReceivedHeader() {
    }

    /** The header to prepend to {@code message} for this hop: empty if the intake already traced it. */
    static byte[] forHop(String relayName, QueuedMessage m, byte[] message, TlsUsed tls, Instant now) {
        return tracedByIntake(message) ? NONE : of(relayName, m, tls, now);
    }

    static byte[] of(String relayName, QueuedMessage m, TlsUsed tls, Instant now) {
        return HeaderField.foldedClauses("Received", java.util.List.of("by " + relayName + " (doublelock relay)",
                "with " + tls.describe(), "id " + m.id() + "; " + MessageDate.format(now)))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** True if the first header field of {@code message} is the Received field the relay's intake writes. */
    static boolean tracedByIntake(byte[] message) {
        String head = new String(message, 0, Math.min(message.length, FIRST_FIELD_LIMIT), StandardCharsets.ISO_8859_1);
        if (!head.regionMatches(true, 0, "Received:", 0, 9)) {
            return false;
        }
        int end = 0;
        do { // the field ends at the first CRLF not followed by white space (RFC 5322 §2.2.3 folding)
            end = head.indexOf("\r\n", end);
            if (end < 0) {
                return false;
            }
            end += 2;
        } while (end < head.length() && (head.charAt(end) == ' ' || head.charAt(end) == '\t'));
        return head.substring(0, end).replaceAll("\r\n[ \t]+", " ").contains(INTAKE_MARK);
    }
}
