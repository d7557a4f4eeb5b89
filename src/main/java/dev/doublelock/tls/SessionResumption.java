package dev.doublelock.tls;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a TLS ≤ 1.2 server really resumes sessions (an abbreviated handshake: ServerHello, then ChangeCipherSpec),
 * as testssl.sh's {@code sessionresumption_ID} / {@code sessionresumption_ticket} report it: after one full handshake,
 * one hello offering its session ID (RFC 5246 §7.4.1.2) and one offering its ticket (RFC 5077 §3.4). Facts, no judgement.
 *
 * @param bySessionId resumed with the session ID; empty if not tried (see {@code detail})
 * @param byTicket    resumed with the session ticket; empty if not tried (no ticket extension, no ticket issued)
 * @param detail      what the server did, in words
 */
public record SessionResumption(Optional<Boolean> bySessionId, Optional<Boolean> byTicket, String detail) {
    public static final SessionResumption NOT_OBSERVED = new SessionResumption(Optional.empty(), Optional.empty(), "not tried");

    public SessionResumption {
        Objects.requireNonNull(bySessionId, "bySessionId");
        Objects.requireNonNull(byTicket, "byTicket");
        Objects.requireNonNull(detail, "detail");
    }
}
