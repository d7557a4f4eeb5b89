package dev.doublelock.relay;

import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A queue with something in every part of the relay page, recorded as the delivery worker records it: two messages
 * to expired.example wait (three recipients, refused for an expired certificate), one to slow.example was not tried
 * yet; in testing mode two messages to self.example and one to tls10.example were delivered although the policy would
 * have refused them, one more to self.example 30 hours ago; one good delivery.
 */
final class RelayPageFixture {
    static final String EXPIRED_REASON = "4.7.5 TLS refused by policy at mx.expired.example: the receiving server's "
            + "certificate expired on 2026-11-30 [EXPIRED_CERTIFICATE]";

    private RelayPageFixture() {
    }

    static void fill(QueueStore store, Instant now) {
        byte[] body = "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        long a = store.enqueue(new Envelope("a@client.example", List.of("u@expired.example", "v@expired.example")), body);
        long b = store.enqueue(new Envelope("a@client.example", List.of("w@expired.example")), body);
        for (long id : List.of(a, b)) {
            store.recordAttempt(id, attempt(now.minus(Duration.ofMinutes(50)), "expired.example", "refused",
                    List.of("EXPIRED_CERTIFICATE"), false));
        }
        store.noteReasons(a, Map.of("u@expired.example", EXPIRED_REASON, "v@expired.example", EXPIRED_REASON));
        store.noteReasons(b, Map.of("w@expired.example", EXPIRED_REASON));
        store.enqueue(new Envelope("a@client.example", List.of("x@slow.example")), body);
        for (int i = 0; i < 2; i++) {
            delivered(store, body, "self.example", List.of("UNKNOWN_ISSUER"), now.minus(Duration.ofMinutes(20 + i)));
        }
        delivered(store, body, "tls10.example", List.of("PROTOCOL_NOT_RECOMMENDED"), now.minus(Duration.ofMinutes(10)));
        delivered(store, body, "self.example", List.of("UNKNOWN_ISSUER"), now.minus(Duration.ofHours(30)));
        delivered(store, body, "fine.example", List.of(), now.minus(Duration.ofMinutes(5)));
    }

    private static void delivered(QueueStore store, byte[] body, String domain, List<String> codes, Instant at) {
        long id = store.enqueue(new Envelope("a@client.example", List.of("r@" + domain)), body);
        store.recordAttempt(id, attempt(at, domain, "delivered", codes, !codes.isEmpty()));
        store.markDelivered(id, Map.of("r@" + domain, dev.doublelock.queue.RecipientState.DELIVERED));
    }

    static Attempt attempt(Instant at, String domain, String outcome, List<String> codes, boolean wouldRefuse) {
        return new Attempt(at, "mx." + domain, "127.0.0.1", "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "bsi: NON_COMPLIANT", codes, "", outcome.equals("delivered") ? 250 : 0, null, null,
                Duration.ofMillis(30), outcome, domain, codes, wouldRefuse);
    }
}
