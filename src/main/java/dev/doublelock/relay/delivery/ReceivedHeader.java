package dev.doublelock.relay.delivery;

import dev.doublelock.queue.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The trace header the relay prepends when it hands a message on (RFC 5321 §4.4), naming the relay, the
 * queue id and the TLS actually used for this hop, e.g.
 * {@code Received: by relay.example.org (doublelock relay) with ESMTPS (TLSv1.3 TLS_AES_128_GCM_SHA256)
 * id 42; Tue, 3 Feb 2026 10:00:00 GMT}, folded.
 */
final class ReceivedHeader {
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private ReceivedHeader() {
    }

    static byte[] of(String relayName, QueuedMessage m, TlsUsed tls, Instant now) {
        String h = "Received: by " + relayName + " (doublelock relay)\r\n\twith " + tls.describe() + "\r\n\tid "
                + m.id() + "; " + RFC5322.format(now) + "\r\n";
        return h.getBytes(StandardCharsets.US_ASCII);
    }
}
