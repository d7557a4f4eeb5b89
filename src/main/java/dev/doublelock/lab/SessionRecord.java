package dev.doublelock.lab;

import java.time.Instant;
import java.util.List;

/**
 * Everything the lab saw of one SMTP session: who connected, what TLS did, what was sent, and the verdict.
 *
 * @param startTls     what STARTTLS did: "not-tried", "established", "failed", "refused-454"
 * @param alert        the TLS alert or failure reason when the handshake failed (e.g. "bad_certificate")
 * @param quitAfterHandshake the client completed the handshake and then left without sending mail
 * @param body         the first message's bytes, capped, only with --keep-bodies (else null)
 * @param messageIds   the Message-ID of every message of the session, in order ({@code messageId} is the first)
 */
public record SessionRecord(
        long id,
        String sessionId,
        Instant startedAt,
        Instant endedAt,
        String profile,
        int port,
        String clientAddress,
        String ehloName,
        String startTls,
        String tlsProtocol,
        String tlsCipher,
        String sni,
        String alert,
        boolean quitAfterHandshake,
        String mailFrom,
        List<String> rcptTo,
        long size,
        String messageId,
        String subject,
        int messages,
        int injectedBytes,
        String closeReason,
        Verdict verdict,
        byte[] body,
        List<String> messageIds) {

    public SessionRecord {
        rcptTo = List.copyOf(rcptTo);
        messageIds = messageIds == null ? List.of() : List.copyOf(messageIds);
    }

    /** A sender is identified by its client address and EHLO name. */
    public String sender() {
        return clientAddress + " (" + (ehloName == null || ehloName.isEmpty() ? "no EHLO" : ehloName) + ")";
    }

    /** The MAIL FROM domain senders are grouped by, or "" for the null sender / none. */
    public String mailFromDomain() {
        if (mailFrom == null) return "";
        int at = mailFrom.lastIndexOf('@');
        return at < 0 ? "" : mailFrom.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    public SessionRecord withIdAndVerdict(long newId, Verdict newVerdict) {
        return new SessionRecord(newId, sessionId, startedAt, endedAt, profile, port, clientAddress, ehloName, startTls,
                tlsProtocol, tlsCipher, sni, alert, quitAfterHandshake, mailFrom, rcptTo, size, messageId, subject,
                messages, injectedBytes, closeReason, newVerdict, body, messageIds);
    }
}
