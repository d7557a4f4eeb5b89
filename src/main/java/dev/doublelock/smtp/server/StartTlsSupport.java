package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;

import java.util.Objects;

/** Whether and how a server offers STARTTLS (RFC 3207). */
public sealed interface StartTlsSupport {
    /** Advertise STARTTLS and upgrade with {@code upgrader}. */
    record Offered(TlsUpgrader upgrader) implements StartTlsSupport {
        public Offered {
            Objects.requireNonNull(upgrader, "upgrader");
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
