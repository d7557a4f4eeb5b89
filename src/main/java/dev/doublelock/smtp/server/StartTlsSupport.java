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
     */
    record Offered(TlsUpgrader upgrader, boolean executesInjected) implements StartTlsSupport {
        public Offered {
            Objects.requireNonNull(upgrader, "upgrader");
        }

        public Offered(TlsUpgrader upgrader) {
            this(upgrader, false);
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
