package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;

import java.util.Objects;

/** Whether and how a server offers STARTTLS (RFC 3207). */
public sealed interface StartTlsSupport {
    /**
     * Advertise STARTTLS and upgrade with {@code upgrader}.
     *
     * @param executesInjected the CVE-2011-0411 defect, on purpose (only the lab's starttls-injection profile):
     *                         plaintext pipelined after STARTTLS is kept and executed after the handshake, as if
     *                         it had come over TLS. Every other server discards it (RFC 3207 §4.2).
     * @param injectsResponses the attack on senders, on purpose (only the lab's starttls-response-injection
     *                         profile): the 220 to STARTTLS comes in one segment with a plaintext EHLO reply, as a
     *                         man in the middle would inject it ("Why TLS is better without STARTTLS", USENIX
     *                         Security 2021); the real EHLO reply after the handshake waits
     *                         {@link #INJECTION_WAIT}, and a client that sends its next command before it has
     *                         taken the injected reply as the server's (see {@link SessionHandler#onInjectedReplyTaken})
     */
    record Offered(TlsUpgrader upgrader, boolean executesInjected, boolean injectsResponses) implements StartTlsSupport {
        /** How long the real post-TLS EHLO reply waits on the response-injection profile. */
        public static final java.time.Duration INJECTION_WAIT = java.time.Duration.ofMillis(1500);

        public Offered {
            Objects.requireNonNull(upgrader, "upgrader");
        }

        public Offered(TlsUpgrader upgrader, boolean executesInjected) {
            this(upgrader, executesInjected, false);
        }

        public Offered(TlsUpgrader upgrader) {
            this(upgrader, false, false);
        }
    }

    /** Do not advertise STARTTLS; the command gets 502 (the lab's no-starttls profile). */
    record NotAdvertised() implements StartTlsSupport {
    }

    /** Advertise STARTTLS but answer it with {@code reply}, usually 454 (the lab's starttls-broken profile). */
    record AdvertisedButRefused(Reply reply) implements StartTlsSupport {
        public AdvertisedButRefused {
            Objects.requireNonNull(reply, "reply");
        }

        public AdvertisedButRefused() {
            this(Replies.TLS_NOT_AVAILABLE);
        }
    }

    default boolean advertised() {
        return !(this instanceof NotAdvertised);
    }
}
